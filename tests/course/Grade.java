package course;

import com.google.gson.GsonBuilder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * `./jbang grade`: grades a submission (a folder of lesson files) lesson by lesson, each in
 * its own JVM, on a temporary copy, with a time limit; reports points per exercise to the
 * console, as JSON (Exercism's results.json, version 3, per lesson) and as JUnit XML.
 */
public final class Grade {

    private Grade() {}

    /** How one lesson of a submission fared. */
    public record LessonGrade(Manifest.Lesson lesson, String status, String message,
                              List<ExerciseGrade> exercises, List<Runner.TestResult> tests, long millis) {
        public int points() {
            return exercises.stream().mapToInt(ExerciseGrade::points).sum();
        }
    }

    public record ExerciseGrade(Manifest.Exercise exercise, String status, int points, String message) {}

    /** Grades {@code lessons} of the submission in {@code submission}; never writes there. */
    public static List<LessonGrade> grade(Path root, List<Manifest.Lesson> lessons, Path submission, Path xmlDir, int jobs)
            throws Exception {
        List<Future<LessonGrade>> futures = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs))) {
            for (Manifest.Lesson lesson : lessons) {
                futures.add(pool.submit(() -> gradeLesson(root, lesson, submission, xmlDir)));
            }
            List<LessonGrade> grades = new ArrayList<>();
            for (Future<LessonGrade> future : futures) grades.add(future.get());
            return grades;
        }
    }

    static LessonGrade gradeLesson(Path root, Manifest.Lesson lesson, Path submission, Path xmlDir) throws Exception {
        Path file = submission.resolve(lesson.fileName());
        if (!Files.isRegularFile(file)) {
            List<ExerciseGrade> none = lesson.exercises().stream()
                    .map(exercise -> new ExerciseGrade(exercise, "missing", 0, "no " + lesson.fileName() + " in the submission")).toList();
            return new LessonGrade(lesson, "missing", "no " + lesson.fileName() + " in the submission", none, List.of(), 0);
        }
        // The child JVM reads a copy: the submission folder is never written, not even by it.
        Path copyDir = Files.createTempDirectory("course-submission-");
        try {
            Path copy = Files.copy(file, copyDir.resolve(lesson.fileName()), StandardCopyOption.REPLACE_EXISTING);
            Path attempts = xmlDir == null ? null : Files.createTempDirectory("course-xml-");
            Runner.JobResult job = Runner.run(root, lesson, List.of(new Events.Variant("submission", copy.toString(), null)),
                    Duration.ofSeconds(lesson.gradeSeconds()), attempts);
            if (attempts != null) collectXml(attempts, Files.createDirectories(xmlDir.resolve(lesson.id())), lesson);
            Runner.VariantResult result = job.variants().get("submission");
            List<ExerciseGrade> exercises = new ArrayList<>();
            for (Manifest.Exercise exercise : lesson.exercises()) {
                Check.Verdict verdict = Check.verdict(exercise, result);
                // "error" when a test crashed, timed out or lost its JVM; "fail" when it only asserted.
                boolean crashed = result.testsOf(exercise.id()).stream().anyMatch(test -> "error".equals(test.status()) && !test.notDone());
                String status = switch (verdict.status()) {
                    case DONE -> "pass";
                    case NOT_STARTED -> "not done";
                    case NOT_YET -> crashed ? "error" : "fail";
                    case BROKEN -> "error";
                };
                exercises.add(new ExerciseGrade(exercise, status, verdict.status() == Check.Status.DONE ? exercise.points() : 0,
                        verdict.message()));
            }
            String status;
            String message = null;
            if (!result.compiled) {
                status = "error";
                message = "does not compile:\n" + String.join("\n", result.diagnostics.stream().map(Object::toString).toList());
                if (result.diagnostics.stream().anyMatch(d -> d.file().startsWith("tests/"))) {
                    message += "\n(an error in a test file: a method or type the tests need is missing, renamed, or has another signature)";
                }
            } else if (job.timedOut()) {
                status = "error";
                message = "the lesson's time limit of " + lesson.gradeSeconds() + " s ran out; its JVM and everything it started were ended";
            } else {
                status = exercises.stream().allMatch(e -> e.status().equals("pass")) ? "pass" : "fail";
            }
            return new LessonGrade(lesson, status, message, exercises, List.copyOf(result.tests.values()), job.millis());
        } finally {
            Runner.deleteTree(copyDir);
        }
    }

    /** JUnit's own XML reports, one file per JVM the lesson needed, in DIR/NN/. */
    static void collectXml(Path attempts, Path target, Manifest.Lesson lesson) throws IOException {
        try (var files = Files.walk(attempts)) {
            for (Path xml : files.filter(f -> f.toString().endsWith(".xml")).sorted().toList()) {
                String attempt = xml.getParent().getFileName().toString();
                Files.move(xml, target.resolve("TEST-lesson-" + lesson.id() + "-" + attempt + ".xml"), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        Runner.deleteTree(attempts);
    }

    // ---- reports --------------------------------------------------------------------------

    public static void printTable(List<LessonGrade> grades, Check.Console out) {
        out.line(String.format("%-7s %-9s %-9s %7s  %s", "lesson", "exercise", "status", "points", "why"));
        for (LessonGrade grade : grades) {
            if (grade.message() != null) {
                out.line(String.format("%-7s %-9s %-9s %7s  %s", grade.lesson().id(), "-", grade.status(), "",
                        firstLines(grade.message(), 6).replace("\n", "\n" + " ".repeat(37))));
            }
            for (ExerciseGrade exercise : grade.exercises()) {
                String status = exercise.status().equals("pass") ? out.green(String.format("%-9s", "pass")) : out.red(String.format("%-9s", exercise.status()));
                // A lesson-wide problem (missing, does not compile, out of time) was shown above.
                String why = exercise.status().equals("pass") || grade.message() != null ? "" : reason(exercise.message());
                out.line(String.format("%-7s %-9s %s %7s  %s", grade.lesson().id(), exercise.exercise().id(), status,
                        exercise.points() + "/" + exercise.exercise().points(), why));
            }
        }
        int points = grades.stream().mapToInt(LessonGrade::points).sum();
        int max = grades.stream().mapToInt(grade -> grade.lesson().points()).sum();
        long done = grades.stream().flatMap(grade -> grade.exercises().stream()).filter(e -> e.status().equals("pass")).count();
        long total = grades.stream().mapToLong(grade -> grade.exercises().size()).sum();
        out.line("");
        out.line(String.format("total: %d/%d points (%d%%)", points, max, max == 0 ? 0 : 100 * points / max));
        out.line(out.progress((int) done, (int) total));
    }

    /** The first line that says why: a verdict's message starts with the failing test's name. */
    static String reason(String message) {
        if (message == null) return "";
        List<String> lines = message.strip().lines().toList();
        String line = lines.size() > 1 && lines.get(0).endsWith(":") ? lines.get(1) : lines.get(0);
        return line.length() > 120 ? line.substring(0, 117) + "..." : line;
    }

    static String firstLines(String text, int count) {
        if (text == null) return "";
        List<String> lines = text.strip().lines().toList();
        String kept = String.join("\n", lines.subList(0, Math.min(count, lines.size())));
        return lines.size() > count ? kept + " [...]" : kept;
    }

    /** One JSON document: a summary, and per lesson an Exercism results.json (version 3). */
    public static Map<String, Object> document(List<LessonGrade> grades) {
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("points", grades.stream().mapToInt(LessonGrade::points).sum());
        summary.put("maxPoints", grades.stream().mapToInt(grade -> grade.lesson().points()).sum());
        List<Map<String, Object>> lessons = new ArrayList<>();
        Map<String, Object> results = new LinkedHashMap<>();
        for (LessonGrade grade : grades) {
            Map<String, Object> lesson = new LinkedHashMap<>();
            lesson.put("id", grade.lesson().id());
            lesson.put("title", grade.lesson().title());
            lesson.put("status", grade.status());
            lesson.put("points", grade.points());
            lesson.put("maxPoints", grade.lesson().points());
            lesson.put("seconds", grade.millis() / 1000.0);
            List<Map<String, Object>> exercises = new ArrayList<>();
            for (ExerciseGrade exercise : grade.exercises()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("id", exercise.exercise().id());
                entry.put("title", exercise.exercise().title());
                entry.put("status", exercise.status());
                entry.put("points", exercise.points());
                entry.put("maxPoints", exercise.exercise().points());
                exercises.add(entry);
            }
            lesson.put("exercises", exercises);
            lessons.add(lesson);

            Map<String, Object> exercism = new LinkedHashMap<>();
            exercism.put("version", 3);
            exercism.put("status", grade.status().equals("missing") ? "error" : grade.status());
            if (grade.message() != null) exercism.put("message", grade.message());
            List<Map<String, Object>> tests = new ArrayList<>();
            for (Runner.TestResult test : grade.tests()) {
                Map<String, Object> entry = new LinkedHashMap<>();
                entry.put("name", test.name());
                entry.put("status", switch (test.status()) {
                    case "pass" -> "pass";
                    case "fail" -> "fail";
                    default -> "error";
                });
                if (!"pass".equals(test.status())) entry.put("message", test.message());
                if (test.output() != null && !test.output().isEmpty()) entry.put("output", test.output());
                entry.put("task_id", test.exercise());
                tests.add(entry);
            }
            exercism.put("tests", tests);
            results.put(grade.lesson().id(), exercism);
        }
        summary.put("lessons", lessons);
        Map<String, Object> document = new LinkedHashMap<>();
        document.put("summary", summary);
        document.put("results", results);
        return document;
    }

    public static void writeJson(Path file, Object document) throws IOException {
        if (file.getParent() != null) Files.createDirectories(file.getParent());
        Files.writeString(file, new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create().toJson(document) + "\n");
    }

    /** A submission folder: DIR itself, or DIR/lessons when it is a whole clone of the course. */
    public static Path lessonsFolder(Path dir) {
        Path inner = dir.resolve("lessons");
        return Files.isDirectory(inner) ? inner : dir;
    }
}
