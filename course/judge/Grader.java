package course.judge;

import course.engine.Engine;
import course.engine.JobRunner;
import course.engine.Results;
import course.engine.RunCache;
import course.engine.TestPlan;
import course.judge.Grades.LessonGrade;
import course.manifest.Manifest;
import course.protocol.Status;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;

/**
 * Grades the lessons of one submission, each in its own sandboxed job, several at once. Nothing
 * that goes wrong with one lesson stops the others: it becomes that lesson's error.
 */
public final class Grader {

    private Grader() {}

    /**
     * Grades the lessons in {@code folder}; with {@code keepRuns}, a lesson reduced to one exercise
     * ({@code grade --exercise}) is graded from a whole run of its file kept by {@link RunCache}.
     */
    public static List<LessonGrade> grade(Engine engine, List<Manifest.Lesson> lessons, Path folder, int jobs,
                                          boolean keepRuns) throws InterruptedException {
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs))) {
            return collect(lessons, lessons.stream().map(lesson -> pool.submit(() -> lesson(engine, lesson, folder,
                    keepRuns))).toList());
        }
    }

    /** Starts grading each lesson on {@code pool}; {@link #collect} waits for them. */
    public static List<Future<LessonGrade>> submit(ExecutorService pool, Engine engine, List<Manifest.Lesson> lessons,
                                                   Path folder) {
        return lessons.stream().map(lesson -> pool.submit(() -> lesson(engine, lesson, folder, false))).toList();
    }

    /** The grades, in lesson order; a lesson whose grading failed is that lesson's error. */
    public static List<LessonGrade> collect(List<Manifest.Lesson> lessons, List<Future<LessonGrade>> futures)
            throws InterruptedException {
        List<LessonGrade> grades = new ArrayList<>();
        for (int i = 0; i < lessons.size(); i++) {
            try {
                grades.add(futures.get(i).get());
            } catch (ExecutionException e) {
                grades.add(Grades.unrun(lessons.get(i), Status.ERROR, "the grader failed on this lesson: " + e.getCause()));
            }
        }
        return grades;
    }

    static Results.Job run(Engine engine, Manifest.Lesson lesson, String source, String only) throws Exception {
        return engine.run(lesson, List.of(new JobRunner.Variant("submission", source, "lessons/" + lesson.fileName(), only)),
                Duration.ofSeconds(lesson.harness().gradeSeconds()));
    }

    /**
     * One exercise's part of a whole run of the lesson's file: kept from an earlier exercise's step,
     * or run now and kept; null when that run does not settle the exercise (it was tampered with,
     * or the time limit or a JVM that died too often left a test of the exercise without its own
     * result): the exercise then runs alone, as without the cache.
     */
    static Results.Job fromWholeRun(Engine engine, Manifest.Lesson lesson, String source, String exercise)
            throws Exception {
        Results.Job whole = RunCache.load(engine, lesson, source).orElse(null);
        if (whole == null) {
            whole = run(engine, lesson, source, null);
            RunCache.store(engine, lesson, source, whole);
        }
        return whole.settles(exercise) ? whole.onlyExercise(exercise) : null;
    }

    /** A submission folder: DIR itself, or DIR/lessons when it is a whole clone of the course. */
    public static Path lessonsFolder(Path dir) {
        Path inner = dir.resolve("lessons");
        return Files.isDirectory(inner, LinkOption.NOFOLLOW_LINKS) ? inner : dir;
    }

    static LessonGrade lesson(Engine engine, Manifest.Lesson lesson, Path folder, boolean keepRuns) throws Exception {
        Set<String> exercises = lesson.exercises().stream().map(Manifest.Exercise::id).collect(Collectors.toSet());
        List<TestPlan.TestCase> plan = TestPlan.read(engine.root().resolve("tests").resolve(lesson.folder())).stream()
                .filter(test -> exercises.contains(test.exercise())).toList();
        return switch (Submission.read(folder, lesson)) {
            case Submission.Missing missing -> Grades.unrun(lesson, Status.MISSING, missing.why(), plan);
            case Submission.Refused refused -> Grades.unrun(lesson, Status.ERROR, refused.why(), plan);
            case Submission.Found found -> {
                // a lesson of one exercise (grade --exercise) runs that exercise's tests only
                String only = lesson.exercises().size() == 1 ? lesson.exercises().getFirst().id() : null;
                Results.Job job = only != null && keepRuns ? fromWholeRun(engine, lesson, found.text(), only) : null;
                if (job == null) job = run(engine, lesson, found.text(), only);
                Path shipped = engine.root().resolve("lessons").resolve(lesson.fileName());
                String course = Files.isRegularFile(shipped) ? Files.readString(shipped) : "";
                yield Grades.lesson(lesson, job, "submission").withSuspicious(Suspicious.findings(found.text(), course));
            }
        };
    }
}
