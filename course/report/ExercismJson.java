package course.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.annotations.SerializedName;
import course.engine.Results.TestResult;
import course.judge.Grades.ExerciseGrade;
import course.judge.Grades.LessonGrade;
import course.protocol.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Exercism's test-runner interface, version 3, to the letter: one results.json per lesson, tests
 * in the order of the test files, task_id the exercise's position in the lesson, output at most
 * 500 characters, test_code the test's body, status "error" only when every test erred. Wrapped,
 * for --json, in a summary of points per lesson and exercise.
 */
public final class ExercismJson {

    private ExercismJson() {}

    static final int OUTPUT_LIMIT = 500;
    static final String TRUNCATED = "\n[Output was truncated. Please limit to 500 chars]";
    public static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    public record Results(int version, String status, String message, List<Test> tests) {}

    public record Test(String name, String status, String message, String output,
                       @SerializedName("test_code") String testCode, @SerializedName("task_id") Integer taskId) {}

    public record Document(Summary summary, Map<String, Results> results) {}

    public record Summary(int points, int maxPoints, List<Lesson> lessons) {}

    public record Lesson(String id, String title, String status, String message, int points, int maxPoints,
                         double seconds, List<Exercise> exercises, List<String> suspicious) {}

    public record Exercise(String id, String title, String status, int points, int maxPoints) {}

    public static Results results(LessonGrade grade) {
        List<Test> tests = grade.tests().stream().map(test -> test(grade, test)).toList();
        String status = tests.stream().allMatch(t -> t.status().equals("pass")) && !tests.isEmpty() ? "pass"
                : tests.stream().allMatch(t -> t.status().equals("error")) ? "error" : "fail";
        String message = status.equals("error") ? (grade.message() != null ? grade.message() : "every test erred") : null;
        return new Results(3, status, message, tests);
    }

    static Test test(LessonGrade grade, TestResult result) {
        Integer task = grade.lesson().exercises().stream().filter(e -> e.id().equals(result.exercise())).findFirst()
                .map(e -> grade.lesson().position(e)).orElse(null);
        String output = result.output() == null || result.output().isEmpty() ? null : limit(result.output());
        return new Test(result.test().displayName(), status(result.status()),
                result.status().passed() ? null : result.message(), output, result.test().code(), task);
    }

    /** Exercism's three words for ours. */
    static String status(Status status) {
        return switch (status) {
            case PASS -> "pass";
            case FAIL, NOT_DONE -> "fail";
            case ERROR, MISSING -> "error";
        };
    }

    static String limit(String output) {
        return output.length() <= OUTPUT_LIMIT ? output : output.substring(0, OUTPUT_LIMIT - TRUNCATED.length()) + TRUNCATED;
    }

    public static Document document(List<LessonGrade> grades) {
        List<Lesson> lessons = grades.stream().map(grade -> new Lesson(grade.lesson().id(), grade.lesson().title(),
                grade.status().label(), grade.message(), grade.points(), grade.lesson().points(), grade.millis() / 1000.0,
                grade.exercises().stream().map(ExercismJson::exercise).toList(), grade.suspicious())).toList();
        Map<String, Results> results = new LinkedHashMap<>();
        for (LessonGrade grade : grades) results.put(grade.lesson().id(), results(grade));
        return new Document(new Summary(grades.stream().mapToInt(LessonGrade::points).sum(),
                grades.stream().mapToInt(g -> g.lesson().points()).sum(), lessons), results);
    }

    static Exercise exercise(ExerciseGrade grade) {
        return new Exercise(grade.exercise().id(), grade.exercise().title(), grade.status().label(), grade.points(),
                grade.exercise().points());
    }

    /** Writes JSON whole or not at all: a reader never sees half a file. */
    public static void write(Path file, Object document) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path partial = Files.createTempFile(parent, ".results-", ".json.partial");
        Files.writeString(partial, GSON.toJson(document) + "\n");
        Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
