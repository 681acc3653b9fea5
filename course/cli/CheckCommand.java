package course.cli;

import course.engine.Engine;
import course.engine.JobRunner;
import course.engine.Results;
import course.engine.Sandbox;
import course.judge.Grades;
import course.judge.Grades.ExerciseGrade;
import course.manifest.Manifest;
import course.protocol.Status;
import course.report.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./jbang check [NN ...]}: the learner's loop. Tests their lessons/ and says what is next. */
@Command(name = "check", mixinStandardHelpOptions = true,
        description = "Test your answers in lessons/ and show what is done and what is next.")
public final class CheckCommand implements Callable<Integer> {

    @Parameters(arity = "0..*", paramLabel = "NN", description = "lessons to check (default: all)")
    List<String> lessons;

    @Option(names = "--jobs", defaultValue = "2", description = "lessons tested at once (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--debug", paramLabel = "PORT", arity = "0..1", fallbackValue = "5005",
            description = "wait for a debugger (IntelliJ IDEA, VS Code) on localhost:PORT (default 5005) before testing")
    Integer debugPort;

    @Override
    public Integer call() throws Exception {
        Path root = Cli.root();
        Manifest manifest = Manifest.load(root);
        List<Manifest.Lesson> selected = Cli.select(manifest, lessons);
        Sandbox sandbox = debugPort != null ? Sandbox.none("debugging") : Sandbox.detect();
        boolean served = debugPort == null && CheckServer.wanted(sandbox);
        Console console = new Console();
        Engine engine = Engine.start(root, sandbox);
        if (debugPort != null) {
            engine = engine.debugging(debugPort);
            System.out.println("Waiting for a debugger on localhost:" + debugPort + ": in IntelliJ IDEA, Run > Attach to"
                    + " Process (or a 'Remote JVM Debug' configuration); in VS Code, a Java 'attach' configuration.");
        }
        int code = run(engine, manifest, selected, root.resolve("lessons"), console, debugPort != null ? 1 : jobs);
        if (served) CheckServer.leaveBehind(root, selected.getFirst().id());
        return code;
    }

    static int run(Engine engine, Manifest manifest, List<Manifest.Lesson> lessons, Path lessonsDir, Console out, int jobs)
            throws Exception {
        int done = 0;
        int total = 0;
        ExerciseGrade next = null;
        List<Future<Results.Job>> results = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs))) {
            for (Manifest.Lesson lesson : lessons) {
                Path file = lessonsDir.resolve(lesson.fileName());
                results.add(pool.submit(() -> Files.isRegularFile(file) ? engine.run(lesson, List.of(new JobRunner.Variant(
                        "lesson", Files.readString(file), "lessons/" + lesson.fileName(), null)),
                        Duration.ofSeconds(engine.debugging() ? 3600 : lesson.harness().gradeSeconds())) : null));
            }
            for (int i = 0; i < lessons.size(); i++) {
                Manifest.Lesson lesson = lessons.get(i);
                out.heading("Lesson " + lesson.id() + ": " + lesson.title() + "   (lessons/" + lesson.fileName() + ")");
                total += lesson.exercises().size();
                Results.Job job = results.get(i).get();
                if (job == null) {
                    out.line("  missing: lessons/" + lesson.fileName());
                    continue;
                }
                Results.Variant variant = job.variant("lesson");
                if (!variant.compiled()) printCompileErrors(variant, out);
                for (Manifest.Exercise exercise : lesson.exercises()) {
                    ExerciseGrade grade = Grades.exercise(exercise, variant);
                    if (grade.status().passed()) done++;
                    else if (next == null) next = grade;
                    printExercise(grade, variant.compiled(), out);
                }
                out.line(String.format("  (checked in %.1f s)", job.millis() / 1000.0));
            }
        }
        out.line("");
        out.line(Console.progress(done, total));
        if (next == null) {
            out.line(out.green("Every checked exercise is done."));
        } else {
            String id = next.exercise().id();
            Manifest.Lesson lesson = manifest.lessonOf(next.exercise());
            out.line("Next: exercise " + id + " in lessons/" + lesson.fileName() + ". Check it with ./jbang check "
                    + lesson.id() + "; stuck? ./jbang hint " + id);
        }
        return done == total ? Cli.PASSED : Cli.FAILED;
    }

    static void printCompileErrors(Results.Variant variant, Console out) {
        out.line("  " + out.red("does not compile") + ":");
        variant.diagnostics().forEach(diagnostic -> out.line("    " + diagnostic));
        if (variant.diagnostics().stream().anyMatch(d -> d.file().startsWith("tests/"))) {
            out.line("  (an error in a test file means a method or type the tests need is missing, renamed,"
                    + " or has another signature: compare with the exercise's comment)");
        }
    }

    /** check's own words for a verdict: done, to do, not yet, broken. */
    static void printExercise(ExerciseGrade grade, boolean compiled, Console out) {
        String mark = switch (grade.status()) {
            case PASS -> out.green("done   ");
            case NOT_DONE -> out.yellow("to do  ");
            case FAIL, ERROR, MISSING -> compiled ? out.red("not yet") : out.red("broken ");
        };
        out.line(String.format("  %s  %-5s %s", mark, grade.exercise().id(), grade.exercise().title()));
        if (grade.status() != Status.PASS && grade.status() != Status.NOT_DONE && compiled) {
            for (String line : course.engine.Text.firstLines(grade.message(), 12).split("\n")) out.line("           " + line);
        }
    }
}
