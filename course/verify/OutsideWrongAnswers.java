package course.verify;

import course.engine.Engine;
import course.engine.JobRunner;
import course.engine.Results;
import course.engine.Sources;
import course.manifest.Manifest;
import course.report.Console;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code verify --wrong-answers DIR}: a set of wrong answers kept outside the repository, in
 * DIR/NN_slug/N.M-name.java (a whole lesson file, or only the members it changes, like
 * tests/NN_slug/wrong/), each tested exactly as a known-wrong answer is: laid over the solution
 * and run against its exercise's tests. One line per file (caught, escaped, did not compile),
 * then "wrong answers: C/N caught". This interface is stable: outside sets are run with it.
 */
public final class OutsideWrongAnswers {

    private OutsideWrongAnswers() {}

    public static int run(Engine engine, Manifest manifest, List<Manifest.Lesson> lessons, Path dir, int repeat, Console out)
            throws Exception {
        int caught = 0;
        int total = 0;
        for (Manifest.Lesson lesson : lessons) {
            List<Path> files = Sources.javaFiles(dir.resolve(lesson.folder()));
            if (files.isEmpty()) continue;
            String solution = Files.readString(engine.root().resolve("solutions").resolve(lesson.fileName()));
            List<JobRunner.Variant> variants = new ArrayList<>();
            for (Path file : files) {
                String exercise = LessonTests.exerciseOf(file);
                if (manifest.exercise(exercise).isEmpty()) {
                    out.line("  " + file.getFileName() + ": names no exercise (" + exercise + ")");
                    continue;
                }
                String overlaid = Sources.overlay(solution, Files.readString(file));
                for (int run = 1; run <= repeat; run++) {
                    variants.add(new JobRunner.Variant(file.getFileName() + " #" + run, overlaid, "lessons/" + lesson.fileName(),
                            exercise, true));
                }
            }
            Results.Job job = engine.run(lesson, variants,
                    Duration.ofSeconds((long) lesson.harness().gradeSeconds() * Math.max(2, variants.size())));
            for (Path file : files) {
                if (manifest.exercise(LessonTests.exerciseOf(file)).isEmpty()) continue;
                total++;
                int rejected = 0;
                boolean compiled = true;
                for (int run = 1; run <= repeat; run++) {
                    Results.Variant result = job.variant(file.getFileName() + " #" + run);
                    compiled &= result.compiled();
                    if (LessonTests.rejection(result, LessonTests.exerciseOf(file)) != null) rejected++;
                }
                String verdict = !compiled ? "did not compile" : rejected == repeat ? "caught" : "escaped";
                if (verdict.equals("caught")) caught++;
                out.line(String.format("%-16s %s/%s%s", verdict, lesson.folder(), file.getFileName(),
                        repeat > 1 ? "  (" + rejected + "/" + repeat + " runs)" : ""));
            }
        }
        out.line(String.format("wrong answers: %d/%d caught", caught, total));
        return caught == total ? 0 : 1;
    }
}
