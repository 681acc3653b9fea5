package course.judge;

import course.engine.Results;
import course.engine.Results.TestResult;
import course.engine.TestPlan;
import course.manifest.Manifest;
import course.protocol.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns test results into verdicts: an exercise passes when every one of its
 * tests passes; it is not done while every failing test met the stub; otherwise it failed (an
 * assertion) or erred (a crash, a time limit, a JVM that ended). A lesson that does not compile,
 * ran out of time or whose results were tampered with is an error; its points are what its
 * exercises earned, or none if its results cannot be believed.
 */
public final class Grades {

    private Grades() {}

    public record ExerciseGrade(Manifest.Exercise exercise, Status status, int points, String message) {}

    public record LessonGrade(Manifest.Lesson lesson, Status status, String message, List<ExerciseGrade> exercises,
                              List<TestResult> tests, long millis, List<String> suspicious) {
        public int points() {
            return exercises.stream().mapToInt(ExerciseGrade::points).sum();
        }

        public boolean passed() {
            return status.passed();
        }

        public LessonGrade withSuspicious(List<String> found) {
            return new LessonGrade(lesson, status, message, exercises, tests, millis, List.copyOf(found));
        }
    }

    public static ExerciseGrade exercise(Manifest.Exercise exercise, Results.Variant variant) {
        if (variant.tampered() != null) return new ExerciseGrade(exercise, Status.ERROR, 0, "results tampered with");
        if (!variant.compiled()) return new ExerciseGrade(exercise, Status.ERROR, 0, "the lesson does not compile");
        List<TestResult> tests = variant.testsOf(exercise.id());
        if (tests.isEmpty()) {
            return new ExerciseGrade(exercise, Status.ERROR, 0, variant.problem() != null ? variant.problem()
                    : "no test ran for it");
        }
        List<TestResult> failed = tests.stream().filter(t -> !t.status().passed()).toList();
        if (failed.isEmpty()) return new ExerciseGrade(exercise, Status.PASS, exercise.points(), null);
        if (failed.stream().allMatch(t -> t.status() == Status.NOT_DONE)) {
            return new ExerciseGrade(exercise, Status.NOT_DONE, 0, failed.get(0).message());
        }
        List<TestResult> real = failed.stream().filter(t -> t.status() != Status.NOT_DONE).toList();
        Status status = real.stream().anyMatch(t -> t.status() == Status.ERROR) ? Status.ERROR : Status.FAIL;
        TestResult first = real.get(0);
        return new ExerciseGrade(exercise, status, 0, first.test().displayName() + ":\n" + first.message());
    }

    public static LessonGrade lesson(Manifest.Lesson lesson, Results.Job job, String variantName) {
        Results.Variant variant = job.variant(variantName);
        List<ExerciseGrade> exercises = new ArrayList<>();
        for (Manifest.Exercise exercise : lesson.exercises()) exercises.add(exercise(exercise, variant));
        Status status;
        String message = null;
        List<TestResult> tests = variant.tests();
        if (variant.tampered() != null) {
            status = Status.ERROR;
            message = "results tampered with (" + variant.tampered() + "): no points for this lesson";
            String why = message; // no test's result can be believed: every report says so, not only this one
            tests = tests.stream().map(test -> new TestResult(test.test(), Status.ERROR, why, "", test.millis())).toList();
        } else if (!variant.compiled()) {
            status = Status.ERROR;
            message = compileMessage(variant);
        } else if (job.timedOut()) {
            status = Status.ERROR;
            message = "the lesson's time limit of " + lesson.harness().gradeSeconds()
                    + " s ran out; its JVM and everything it started were ended";
        } else {
            status = exercises.stream().allMatch(e -> e.status().passed()) ? Status.PASS : Status.FAIL;
        }
        return new LessonGrade(lesson, status, message, List.copyOf(exercises), tests, job.millis(), List.of());
    }

    static String compileMessage(Results.Variant variant) {
        String message = "does not compile:\n" + String.join("\n", variant.diagnostics().stream().map(Object::toString).toList());
        if (variant.diagnostics().stream().anyMatch(d -> d.file().startsWith("tests/"))) {
            message += "\n(an error in a test file: a method or type the tests need is missing, renamed, "
                    + "or has another signature)";
        }
        return message;
    }

    /** A lesson that was not run: missing, or refused before it could be (not a regular file, not UTF-8). */
    public static LessonGrade unrun(Manifest.Lesson lesson, Status status, String why, List<TestPlan.TestCase> plan) {
        List<ExerciseGrade> exercises = lesson.exercises().stream().map(e -> new ExerciseGrade(e, status, 0, why)).toList();
        List<TestResult> tests = plan.stream().map(test -> new TestResult(test, status, why, "", 0)).toList();
        return new LessonGrade(lesson, status, why, exercises, tests, 0, List.of());
    }

    public static LessonGrade unrun(Manifest.Lesson lesson, Status status, String why) {
        return unrun(lesson, status, why, List.of());
    }
}
