package course;

import com.google.gson.Gson;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/** The course manifest, tests/course.json: the single source for lessons and exercises. */
public record Manifest(String title, List<Lesson> lessons) {

    public record Lesson(String id, String slug, String title, String question, String alias,
                         List<String> runArgs, int runSeconds, int gradeSeconds,
                         List<String> prints, List<Exercise> exercises) {

        /** The lesson's file name, the same in lessons/, solutions/ and a submission. */
        public String fileName() {
            return id + "_" + slug + ".java";
        }

        /** tests/NN_slug: the lesson's tests and its known-wrong answers. */
        public String folder() {
            return id + "_" + slug;
        }

        public int points() {
            return exercises.stream().mapToInt(Exercise::points).sum();
        }

        public List<String> runArgs() {
            return runArgs == null ? List.of() : runArgs;
        }

        public List<String> prints() {
            return prints == null ? List.of() : prints;
        }
    }

    public record Exercise(String id, String title, int points, List<String> hints) {}

    public static Manifest load(Path root) throws IOException {
        return new Gson().fromJson(Files.readString(root.resolve("tests/course.json")), Manifest.class);
    }

    /** The folder that holds tests/course.json: the current one or a parent. */
    public static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        for (Path candidate = dir; candidate != null; candidate = candidate.getParent()) {
            if (Files.isRegularFile(candidate.resolve("tests/course.json"))) return candidate;
        }
        throw new IllegalStateException("no tests/course.json in " + dir + " or above: run this from the course repository");
    }

    public Optional<Lesson> lesson(String id) {
        String wanted = id.length() == 1 ? "0" + id : id;
        return lessons.stream().filter(lesson -> lesson.id().equals(wanted) || lesson.slug().equals(id)).findFirst();
    }

    public Optional<Exercise> exercise(String id) {
        return lessons.stream().flatMap(lesson -> lesson.exercises().stream())
                .filter(exercise -> exercise.id().equals(id)).findFirst();
    }

    public Lesson lessonOf(Exercise exercise) {
        return lessons.stream().filter(lesson -> lesson.exercises().contains(exercise)).findFirst().orElseThrow();
    }

    public int exerciseCount() {
        return lessons.stream().mapToInt(lesson -> lesson.exercises().size()).sum();
    }
}
