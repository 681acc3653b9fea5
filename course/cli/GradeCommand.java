package course.cli;

import course.engine.Engine;
import course.engine.Sandbox;
import course.judge.Grader;
import course.judge.Grades.LessonGrade;
import course.manifest.Manifest;
import course.report.ClassGrading;
import course.report.Console;
import course.report.ExercismJson;
import course.report.GradeTable;
import course.report.JunitXml;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jbang grade}: grades a submission, or a class of them, each lesson in its own sandboxed
 * job; reports points per exercise on the console, as JSON (Exercism's results.json per lesson)
 * and as JUnit XML. One student's submission can never stop the class: whatever goes wrong
 * becomes that student's error, and the class report is written as each student finishes.
 */
@Command(name = "grade", mixinStandardHelpOptions = true,
        description = "Grade a submission (or a class of them): each lesson in its own sandboxed JVM, with a time limit. "
                + "Exit code 0: every graded exercise passes; 1: some do not; 2: usage error; 3: internal error.")
public final class GradeCommand implements Callable<Integer> {

    @ArgGroup(exclusive = true)
    Source source;

    static final class Source {
        @Option(names = "--submission", paramLabel = "DIR",
                description = "a folder of lesson files, or a clone of the course (its lessons/ is used); default: lessons/")
        Path submission;

        @Option(names = "--class", paramLabel = "DIR", description = "a folder with one submission folder per student")
        Path classDir;
    }

    @Option(names = "--lesson", paramLabel = "NN", description = "grade only these lessons (repeatable)")
    List<String> lessons;

    @Option(names = "--exercise", paramLabel = "N.M",
            description = "grade only this exercise (only its points count; exit code 0 when it passes). The lesson's "
                    + "file is run whole once and its results kept 30 minutes for the next --exercise of the same file "
                    + "(the Classroom workflow's steps)")
    String exercise;

    @Option(names = "--json", paramLabel = "FILE", description = "write the results as JSON")
    Path json;

    @Option(names = "--junit-xml", paramLabel = "DIR",
            description = "write JUnit XML reports into DIR/NN/ (DIR/STUDENT/NN/ for a class)")
    Path junitXml;

    @Option(names = "--jobs", defaultValue = "2", description = "lessons graded at once (default: ${DEFAULT-VALUE})")
    int jobs;

    @Option(names = "--no-sandbox", description = "grade without a sandbox (only for code you trust; never for a class)")
    boolean noSandbox;

    @Override
    public Integer call() throws Exception {
        Path root = Cli.root();
        Manifest manifest = Manifest.load(root);
        List<Manifest.Lesson> selected = exercise == null ? Cli.select(manifest, lessons) : List.of(onlyExercise(manifest));
        Console out = new Console();
        boolean wholeClass = source != null && source.classDir != null;
        Sandbox sandbox = noSandbox ? Sandbox.none("--no-sandbox was given") : Sandbox.detect();
        if (!sandbox.available()) {
            if (wholeClass && !noSandbox) {
                throw new Cli.UsageError("grade --class runs other people's code and needs a sandbox, but there is "
                        + sandbox.describe() + ".\nInstall bubblewrap, or pass --no-sandbox to grade without one.");
            }
            System.err.println("WARNING: grading without a sandbox (" + sandbox.describe() + "): the code graded can read"
                    + " and write your files. Use this only for code you trust.");
        }
        Engine engine = Engine.start(root, sandbox);
        if (wholeClass) return gradeClass(engine, selected, out);
        Path dir = source == null || source.submission == null ? root.resolve("lessons") : source.submission;
        if (!Files.isDirectory(dir)) throw new Cli.UsageError("no folder " + dir);
        List<LessonGrade> grades = Grader.grade(engine, selected, Grader.lessonsFolder(dir), jobs, exercise != null);
        GradeTable.print(grades, out);
        if (json != null) ExercismJson.write(json, ExercismJson.document(grades));
        if (junitXml != null) for (LessonGrade grade : grades) JunitXml.write(junitXml, grade);
        return grades.stream().allMatch(LessonGrade::passed) ? Cli.PASSED : Cli.FAILED;
    }

    /** The lesson of --exercise, reduced to that exercise: only its tests run, only its points count. */
    Manifest.Lesson onlyExercise(Manifest manifest) {
        if (lessons != null && !lessons.isEmpty()) throw new Cli.UsageError("give --exercise or --lesson, not both");
        Manifest.Exercise wanted = manifest.exercise(exercise)
                .orElseThrow(() -> new Cli.UsageError("no exercise " + exercise + " in course.yaml"));
        return manifest.lessonOf(wanted).withExercises(List.of(wanted));
    }

    int gradeClass(Engine engine, List<Manifest.Lesson> selected, Console out) throws Exception {
        if (!Files.isDirectory(source.classDir)) throw new Cli.UsageError("no folder " + source.classDir);
        return ClassGrading.run(engine, selected, source.classDir, json, junitXml, jobs, out) ? Cli.PASSED : Cli.FAILED;
    }
}
