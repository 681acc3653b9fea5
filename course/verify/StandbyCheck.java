package course.verify;

import course.engine.Engine;
import course.engine.JobRunner;
import course.engine.Results;
import course.judge.Grades;
import course.manifest.Manifest;
import course.protocol.Status;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;

/**
 * Part of (h): a job given to a standby (the JVM {@code watch} and check's server keep started and
 * warm) gets the verdicts a cold job gets: the lesson's solution passes every test, the lesson as
 * shipped is "not done yet" in every exercise, and the job did run in the standby. Run for lesson
 * 01, and for each lesson whose standby also warms up Hazelcast (09).
 */
public final class StandbyCheck {

    private StandbyCheck() {}

    public static void run(Engine cold, Manifest.Lesson lesson, Recorder out) throws Exception {
        Engine engine = cold.withStandby();
        try {
            engine.standbys().prepare(engine, lesson);
            String solution = Files.readString(engine.root().resolve("solutions").resolve(lesson.fileName()));
            String shipped = LessonTests.Shipped.text(engine.root(), lesson, null);
            Results.Job job = engine.run(lesson, List.of(
                    new JobRunner.Variant("solution", solution, "solutions/" + lesson.fileName(), null),
                    new JobRunner.Variant("shipped", shipped, "lessons/" + lesson.fileName(), null)),
                    Duration.ofSeconds(lesson.harness().gradeSeconds()));
            Results.Variant solved = job.variant("solution");
            List<String> bad = solved.tests().stream().filter(t -> !t.status().passed())
                    .map(t -> t.test().displayName() + ": " + t.status().label() + ": " + t.message()).toList();
            List<String> notNotDone = lesson.exercises().stream()
                    .map(exercise -> Grades.exercise(exercise, job.variant("shipped")))
                    .filter(grade -> grade.status() != Status.NOT_DONE)
                    .map(grade -> grade.exercise().id() + ": " + grade.status().label() + ": " + grade.message()).toList();
            boolean used = engine.standbys().used() == 1;
            out.record(used && bad.isEmpty() && !solved.tests().isEmpty() && notNotDone.isEmpty(),
                    "a job given to a standby JVM (watch, check's server) gets a cold job's verdicts: " + lesson.id()
                            + " solution passes all " + solved.tests().size() + " tests, the shipped lesson is not done yet",
                    !used ? "the job did not run in the standby" : String.join("\n", bad) + String.join("\n", notNotDone));
        } finally {
            engine.standbys().close();
        }
    }
}
