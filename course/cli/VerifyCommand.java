package course.cli;

import course.engine.Engine;
import course.engine.Sandbox;
import course.manifest.Manifest;
import course.report.Console;
import course.verify.Classroom;
import course.verify.Consistency;
import course.verify.Fixtures;
import course.verify.Generated;
import course.verify.LessonTests;
import course.verify.OutsideWrongAnswers;
import course.verify.Programs;
import course.verify.Recorder;
import course.verify.SelfTests;
import course.verify.StandbyCheck;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jbang verify}: the project's own suite. It proves that (a) every test passes against
 * solutions/, (b) every exercise fails as shipped, (c) every known-wrong answer is rejected,
 * (d) every lesson and solution runs and prints what it promises, (e) the manifest and the files
 * agree, (f) the grader withstands broken and hostile submissions, (g) the GitHub Classroom
 * workflow grades as GitHub would, and (h) the tool's own tests and style rules pass.
 */
@Command(name = "verify", mixinStandardHelpOptions = true,
        description = "The project's own suite: solutions pass, shipped exercises fail, known-wrong answers are rejected, "
                + "lessons run, files agree, the grader withstands hostile submissions.")
public final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--lesson", paramLabel = "NN", description = "only these lessons (repeatable)")
    List<String> lessons;

    @Option(names = "--repeat", defaultValue = "1", description = "run each solution and known-wrong answer this many times")
    int repeat;

    @Option(names = "--jobs", defaultValue = "2", description = "checks run at once (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--no-fixtures", negatable = true, defaultValue = "true",
            description = "grade the hostile submissions of tests/fixtures and the Classroom workflow (default: yes)")
    boolean fixtures;

    @Option(names = "--fixture", paramLabel = "NAME",
            description = "only these students of tests/fixtures/fixtures.yaml (repeatable; default: all)")
    List<String> fixtureNames;

    @Option(names = "--update-golden",
            description = "write each fixture's results.json as its golden file (tests/fixtures/expected) instead of comparing")
    boolean updateGolden;

    @Option(names = "--only", paramLabel = "PART", split = ",",
            description = "only these parts: ${COMPLETION-CANDIDATES} (default: all)")
    List<Part> only;

    /** The parts of verify, for --only. */
    enum Part { files, lessons, programs, fixtures, classroom, tool }

    @Option(names = "--wrong-answers", paramLabel = "DIR",
            description = "only test the wrong answers in DIR/NN_slug/N.M-name.java, as known-wrong answers are tested")
    Path wrongAnswers;

    @Override
    public Integer call() throws Exception {
        long begin = System.nanoTime();
        Path root = Cli.root();
        Manifest manifest = Manifest.load(root);
        List<Manifest.Lesson> selected = Cli.select(manifest, lessons);
        Console console = new Console();
        Sandbox sandbox = Sandbox.detect();
        Engine engine = Engine.start(root, sandbox);
        if (wrongAnswers != null) {
            if (!Files.isDirectory(wrongAnswers)) throw new Cli.UsageError("no folder " + wrongAnswers);
            return OutsideWrongAnswers.run(engine, manifest, selected, wrongAnswers, repeat, console);
        }
        Recorder out = new Recorder(console);
        console.line("== The manifest and the files agree; " + sandbox.describe() + " ==");
        boolean all = selected.size() == manifest.lessons().size();
        if (all && wanted(Part.files)) Generated.check(root, manifest, out);
        if (wanted(Part.files)) for (Manifest.Lesson lesson : selected) Consistency.check(root, lesson, out);
        console.line("");
        console.line("== Tests against solutions/, the lessons as shipped and the known-wrong answers; "
                + "lessons and solutions run ==");
        List<Check> work = new ArrayList<>();
        for (Manifest.Lesson lesson : selected) {
            String id = lesson.id();
            if (wanted(Part.lessons)) work.add(new Check(id + " tests", () -> LessonTests.run(engine, lesson, repeat, out)));
            if (wanted(Part.programs)) work.add(new Check(id + " lesson runs", () -> Programs.run(root, lesson, "lessons",
                    out)));
            if (wanted(Part.programs)) work.add(new Check(id + " solution runs", () -> Programs.run(root, lesson,
                    "solutions", out)));
        }
        boolean fixtureLessons = selected.stream().anyMatch(l -> l.id().equals("01"));
        if (fixtures && fixtureLessons && wanted(Part.fixtures)) {
            if (sandbox.available()) {
                work.add(0, new Check("fixtures", () -> Fixtures.run(engine, manifest, fixtureNames, updateGolden, out)));
            } else {
                // The fixtures attack whatever they can reach (they append to every file their JVM has open: its
                // jars, the JDK's lib/modules). Outside the sandbox that is this machine: never run them there.
                out.record(false, "the hostile fixtures were not run: they only run inside the sandbox, and "
                        + sandbox.describe(), "install bubblewrap (Debian/Ubuntu: apt-get install bubblewrap), or pass "
                        + "--no-fixtures");
            }
        }
        if (fixtures && wanted(Part.classroom)) work.add(0, new Check("classroom", () -> Classroom.run(root, manifest,
                selected, jobs, out)));
        if (wanted(Part.tool) && (all || only != null)) work.add(new Check("tool", () -> SelfTests.run(root, out)));
        if (wanted(Part.tool)) work.addAll(standbys(engine, selected, out));
        runAll(work, out);
        printTimes(work, console);
        if (repeat > 1) {
            console.line("");
            console.line("== Repeated runs: each solution passing, each known-wrong answer rejected, out of runs ==");
            LessonTests.CAUGHT.forEach((name, counts) -> console.line(String.format("  %-50s %d/%d", name, counts[0],
                    counts[1])));
        }
        console.line("");
        if (out.failed() > 0) {
            console.line("Failed:");
            out.failures().forEach(failure -> console.line("  - " + failure));
        }
        console.line(String.format("verify took %.1f s", (System.nanoTime() - begin) / 1e9));
        console.line(out.passed() + " passed, " + out.failed() + " failed");
        return out.failed() == 0 ? Cli.PASSED : Cli.FAILED;
    }

    /** How long each check took, the slowest first: where verify's time goes. */
    void printTimes(List<Check> work, Console console) {
        console.line("");
        console.line("== Time per check (wall clock, " + Math.max(1, jobs) + " at once) ==");
        work.stream().filter(check -> check.seconds >= 0).sorted((a, b) -> Double.compare(b.seconds, a.seconds))
                .forEach(check -> console.line(String.format("  %6.1f s  %s", check.seconds, check.name)));
    }

    boolean wanted(Part part) {
        return only == null || only.isEmpty() || only.contains(part);
    }

    /**
     * A job given to a standby (the JVM watch and check's server keep warm) gets a cold job's verdicts:
     * lesson 01's, as every standby is, and a lesson's whose standby also warms up Hazelcast.
     */
    static List<Check> standbys(Engine engine, List<Manifest.Lesson> selected, Recorder out) {
        return selected.stream().filter(lesson -> lesson.id().equals("01") || engine.usesHazelcast(lesson))
                .map(lesson -> new Check(lesson.id() + " standby", () -> StandbyCheck.run(engine, lesson, out))).toList();
    }

    /** One check of verify, timed. */

    static final class Check {
        interface Body {
            void run() throws Exception;
        }

        final String name;
        final Body body;
        volatile double seconds = -1;

        Check(String name, Body body) {
            this.name = name;
            this.body = body;
        }

        Void call() throws Exception {
            long begin = System.nanoTime();
            try {
                body.run();
            } finally {
                seconds = (System.nanoTime() - begin) / 1e9;
            }
            return null;
        }
    }

    /** Runs the checks on --jobs threads; a check that throws is a failure of its own, not of verify. */
    void runAll(List<Check> work, Recorder out) throws InterruptedException {
        List<Future<Void>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs))) {
            for (Check check : work) futures.add(pool.submit(check::call));
            for (Future<Void> future : futures) {
                try {
                    future.get();
                } catch (ExecutionException e) {
                    out.record(false, "a check crashed: " + e.getCause(), stackTrace(e.getCause()));
                }
            }
        }
    }

    static String stackTrace(Throwable error) {
        StringWriter text = new StringWriter();
        error.printStackTrace(new PrintWriter(text));
        return text.toString();
    }
}
