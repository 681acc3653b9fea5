package course;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Part (f) of verify: grades the broken and hostile submissions of tests/fixtures/ and
 * checks that the grader reports each as it should, in time, without leaving a process
 * behind and without changing a byte of the submission.
 */
final class Fixtures {

    private Fixtures() {}

    record Spec(String about, List<Fixture> fixtures) {}

    record Fixture(String name, String lesson, String overlay, List<List<String>> replace, String status,
                   String message, Map<String, String> exercises, String testMessage, List<String> companions) {}

    /** Command-line words that only the fixtures' child processes use. */
    static final List<String> MARKERS = List.of("314159", "271828");

    static List<Fixture> load(Path root) throws IOException {
        return Events.GSON.fromJson(Files.readString(root.resolve("tests/fixtures/grading.json")), Spec.class).fixtures();
    }

    static void grade(Path root, Manifest manifest, Fixture fixture, Verify.Recorder out) throws Exception {
        Manifest.Lesson lesson = manifest.lesson(fixture.lesson()).orElseThrow();
        Path submission = Files.createTempDirectory("course-fixture-");
        try {
            String text = Files.readString(root.resolve("solutions").resolve(lesson.fileName()));
            for (List<String> pair : fixture.replace() == null ? List.<List<String>>of() : fixture.replace()) {
                if (!text.contains(pair.get(0))) throw new IllegalStateException("fixture '" + fixture.name() + "': no '" + pair.get(0) + "' to replace");
                text = text.replace(pair.get(0), pair.get(1));
            }
            if (fixture.overlay() != null) {
                text = Sources.overlay(text, Files.readString(root.resolve("tests/fixtures").resolve(fixture.overlay())));
            }
            Files.writeString(submission.resolve(lesson.fileName()), text);
            List<Manifest.Lesson> graded = new ArrayList<>(List.of(lesson));
            for (String id : fixture.companions() == null ? List.<String>of() : fixture.companions()) {
                manifest.lesson(id).ifPresent(companion -> {
                    graded.add(companion);
                    copy(root.resolve("solutions").resolve(companion.fileName()), submission.resolve(companion.fileName()));
                });
            }
            String before = digest(submission);
            long begin = System.nanoTime();
            List<Grade.LessonGrade> grades = Grade.grade(root, graded, submission, null, 1);
            double seconds = (System.nanoTime() - begin) / 1e9;

            List<String> problems = new ArrayList<>();
            Grade.LessonGrade grade = grades.get(0);
            if (fixture.status() != null && !fixture.status().equals(grade.status())) {
                problems.add("lesson status " + grade.status() + ", expected " + fixture.status());
            }
            if (fixture.message() != null && (grade.message() == null || !grade.message().contains(fixture.message()))) {
                problems.add("lesson message does not say \"" + fixture.message() + "\": " + grade.message());
            }
            StringBuilder seen = new StringBuilder();
            for (Grade.ExerciseGrade exercise : grade.exercises()) {
                String expected = fixture.exercises().get(exercise.exercise().id());
                seen.append(exercise.exercise().id()).append(' ').append(exercise.status()).append(", ");
                if (expected != null && !expected.equals(exercise.status())) {
                    problems.add(exercise.exercise().id() + " is " + exercise.status() + ", expected " + expected
                            + (exercise.message() == null ? "" : ": " + Grade.firstLines(exercise.message(), 3)));
                }
            }
            if (fixture.testMessage() != null && grade.tests().stream()
                    .noneMatch(test -> test.message() != null && test.message().contains(fixture.testMessage()))) {
                problems.add("no test result says \"" + fixture.testMessage() + "\"");
            }
            for (Runner.TestResult test : grade.tests()) {
                if (test.output() != null && test.output().length() > Runner.OUTPUT_CAP + 200) {
                    problems.add(test.name() + ": " + test.output().length() + " characters of output kept, more than the cap");
                }
            }
            for (Grade.LessonGrade companion : grades.subList(1, grades.size())) {
                seen.append(companion.lesson().id()).append(' ').append(companion.status()).append(", ");
                if (!companion.status().equals("pass")) problems.add("lesson " + companion.lesson().id() + " graded in the same run: " + companion.status());
            }
            double limit = graded.stream().mapToInt(Manifest.Lesson::gradeSeconds).max().orElse(0) + 10;
            if (seconds > limit) problems.add(String.format("took %.1f s, more than the time limit plus 10 s (%.0f s)", seconds, limit));
            if (!before.equals(digest(submission))) problems.add("the submission folder changed");
            out.record(problems.isEmpty(), String.format("fixture \"%s\" graded as expected in %.1f s (%s)", fixture.name(),
                    seconds, seen.substring(0, Math.max(0, seen.length() - 2))), String.join("\n", problems));
        } finally {
            Runner.deleteTree(submission);
        }
    }

    /** Processes still running that a fixture started (and the grader should have ended). */
    static List<String> leftovers() throws IOException {
        List<String> found = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (ProcessHandle handle : all.toList()) {
                String line = handle.info().commandLine().orElse("");
                if (MARKERS.stream().anyMatch(line::contains) && Processes.isRunning(handle)) found.add(handle.pid() + " " + line);
            }
        }
        return found;
    }

    static void copy(Path from, Path to) {
        try {
            Files.copy(from, to);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A digest of every file's path and bytes under {@code dir}. */
    static String digest(Path dir) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path file : files.sorted().toList()) {
                sha.update(dir.relativize(file).toString().getBytes());
                if (Files.isRegularFile(file)) sha.update(Files.readAllBytes(file));
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
