package course.verify;

import course.engine.Engine;
import course.engine.JobRunner;
import course.engine.Results;
import course.engine.Sources;
import course.judge.Grades;
import course.judge.Grades.ExerciseGrade;
import course.manifest.Manifest;
import course.protocol.Status;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;

/**
 * Parts (a) to (c) of verify, one job per lesson: every test passes against solutions/, every
 * exercise of the committed lesson fails with "not done yet", and every known-wrong answer is
 * rejected by a real failure of its own exercise's tests (not a compile error, not the stub),
 * on every one of --repeat runs (the solution runs as often, and must pass every time).
 */
public final class LessonTests {

    private LessonTests() {}

    /** How many runs rejected each wrong answer, for the --repeat table. */
    public static final Map<String, int[]> CAUGHT = new ConcurrentSkipListMap<>();

    public static void run(Engine engine, Manifest.Lesson lesson, int repeat, Recorder out) throws Exception {
        Path root = engine.root();
        String solution = Files.readString(root.resolve("solutions").resolve(lesson.fileName()));
        List<JobRunner.Variant> variants = new ArrayList<>();
        for (int run = 1; run <= repeat; run++) {
            variants.add(new JobRunner.Variant(solutionName(run), solution, "solutions/" + lesson.fileName(), null));
        }
        variants.add(new JobRunner.Variant("shipped", Shipped.text(root, lesson, out), "lessons/" + lesson.fileName(), null));
        List<Path> wrongs = Sources.javaFiles(root.resolve("tests").resolve(lesson.folder()).resolve("wrong"));
        for (Path wrong : wrongs) {
            String overlaid = Sources.overlay(solution, Files.readString(wrong));
            for (int run = 1; run <= repeat; run++) {
                variants.add(new JobRunner.Variant(name(wrong, run), overlaid,
                        "solutions/" + lesson.fileName() + " with " + wrong.getFileName(), exerciseOf(wrong), true));
            }
        }
        Duration limit = Duration.ofSeconds((long) lesson.harness().gradeSeconds() * Math.max(2, variants.size()));
        Results.Job job = engine.run(lesson, variants, limit);

        solutionPasses(lesson, job, repeat, out);

        Results.Variant shipped = job.variant("shipped");
        for (Manifest.Exercise exercise : lesson.exercises()) {
            ExerciseGrade grade = Grades.exercise(exercise, shipped);
            out.record(grade.status() == Status.NOT_DONE, lesson.id() + " shipped exercise " + exercise.id()
                    + " fails with \"not done yet\"",
                    grade.status() == Status.NOT_DONE ? null
                            : grade.status().label() + ": " + (shipped.compiled() ? grade.message() : diagnostics(shipped)));
        }
        for (Path wrong : wrongs) {
            int rejected = 0;
            String detail = null;
            for (int run = 1; run <= repeat; run++) {
                Results.Variant result = job.variant(name(wrong, run));
                String why = rejection(result, exerciseOf(wrong));
                if (why != null) {
                    rejected++;
                } else {
                    detail = result.compiled() ? "every test of " + exerciseOf(wrong)
                            + " passed: the tests do not catch this mistake"
                            : diagnostics(result);
                }
            }
            CAUGHT.put(lesson.id() + " " + wrong.getFileName(), new int[] {rejected, repeat});
            out.record(rejected == repeat, lesson.id() + " wrong answer " + wrong.getFileName() + " is rejected"
                    + (repeat > 1 ? " (" + rejected + "/" + repeat + " runs)" : ""), rejected == repeat ? null : detail);
        }
    }

    /** The reference solution passes every test, on every one of --repeat runs. */
    static void solutionPasses(Manifest.Lesson lesson, Results.Job job, int repeat, Recorder out) {
        int passed = 0;
        int tests = 0;
        String detail = null;
        for (int run = 1; run <= repeat; run++) {
            Results.Variant solved = job.variant(solutionName(run));
            List<String> bad = solved.tests().stream().filter(t -> !t.status().passed())
                    .map(t -> t.test().displayName() + ": " + t.status().label() + ": " + t.message()).toList();
            tests = solved.tests().size();
            if (solved.compiled() && bad.isEmpty() && solved.tampered() == null && !solved.tests().isEmpty()) {
                passed++;
            } else {
                detail = (repeat > 1 ? "run " + run + ": " : "") + (!solved.compiled() ? diagnostics(solved)
                        : solved.tampered() != null ? solved.tampered() : String.join("\n", bad));
            }
        }
        if (repeat > 1) CAUGHT.put(lesson.id() + " solution passes", new int[] {passed, repeat});
        out.record(passed == repeat, lesson.id() + " solution passes all " + tests + " tests"
                + (repeat > 1 ? " (" + passed + "/" + repeat + " runs)" : ""), passed == repeat ? null : detail);
    }

    static String solutionName(int run) {
        return run == 1 ? "solution" : "solution #" + run;
    }

    /** The exercise a known-wrong answer is for: its file name up to the first '-'. */
    public static String exerciseOf(Path wrong) {
        return wrong.getFileName().toString().split("-", 2)[0];
    }

    static String name(Path wrong, int run) {
        return "wrong " + wrong.getFileName() + " #" + run;
    }

    /** Why the tests rejected a wrong answer (null if they did not): a real failure of its exercise. */
    public static String rejection(Results.Variant result, String exercise) {
        if (!result.compiled() || result.tampered() != null) return null; // a typo proves nothing
        return result.testsOf(exercise).stream().filter(t -> !t.status().passed() && t.status() != Status.NOT_DONE
                        && !t.message().startsWith(Status.SKIPPED))
                .map(t -> t.test().displayName()).findFirst().orElse(null);
    }

    static String diagnostics(Results.Variant result) {
        return "does not compile:\n" + String.join("\n", result.diagnostics().stream().map(Object::toString).toList());
    }

    /** The committed version of a lesson (the one learners get), or the working file if it is new. */
    static final class Shipped {
        private Shipped() {}

        static String text(Path root, Manifest.Lesson lesson, Recorder out) throws IOException, InterruptedException {
            Path file = root.resolve("lessons").resolve(lesson.fileName());
            String working = Files.readString(file);
            Process git = new ProcessBuilder("git", "show", "HEAD:lessons/" + lesson.fileName()).directory(root.toFile())
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String committed = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (git.waitFor() != 0) return working;
            if (!committed.equals(working) && out != null) {
                out.note("lessons/" + lesson.fileName() + " differs from the committed version: verify checks the committed one");
            }
            return committed;
        }
    }
}
