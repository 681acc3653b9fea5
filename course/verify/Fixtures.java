package course.verify;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import course.engine.Engine;
import course.engine.Processes;
import course.engine.Sources;
import course.manifest.Manifest;
import course.report.ClassGrading;
import course.report.Console;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Part (f) of verify: tests/fixtures/fixtures.yaml's broken and hostile submissions, graded as a
 * class with the code of {@code grade --class}; each student must get what the file expects, and
 * nothing outside the sandbox may change (see {@link Integrity}).
 */
public final class Fixtures {

    private Fixtures() {}

    /** A student of the fixture class. */
    record Student(String name, Map<String, Object> spec) {
        String text(String key) {
            Object value = spec.get(key);
            return value == null ? null : value.toString();
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> expect() {
            return (Map<String, Object>) spec.getOrDefault("expect", Map.of());
        }

        boolean shortLimit() {
            return Boolean.TRUE.equals(spec.get("shortLimit"));
        }

        boolean testsVary() {
            return Boolean.TRUE.equals(spec.get("testsVary"));
        }
    }

    static final int SHORT_LIMIT_SECONDS = 20;

    @SuppressWarnings("unchecked")
    public static void run(Engine engine, Manifest manifest, List<String> only, boolean updateGolden, Recorder out)
            throws Exception {
        Path root = engine.root();
        Map<String, Object> file = new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(Files.readString(root.resolve("tests/fixtures/fixtures.yaml")));
        List<Student> students = ((List<Map<String, Object>>) file.get("students")).stream()
                .map(spec -> new Student(spec.get("name").toString(), spec))
                .filter(student -> only == null || only.isEmpty() || only.contains(student.name())).toList();
        Manifest.Lesson threads = manifest.lesson("01").orElseThrow();
        Manifest.Lesson daemon = manifest.lesson("02").orElseThrow();
        Path work = Processes.tempFolder("course-fixtures-");
        try {
            Path full = Files.createDirectories(work.resolve("class"));
            Path quick = Files.createDirectories(work.resolve("class-short"));
            for (Student student : students) build(root, student, student.shortLimit() ? quick : full, threads);
            Integrity before = Integrity.take(root, work);
            ByteArrayOutputStream console = new ByteArrayOutputStream();
            Console captured = new Console(new PrintStream(console, true, StandardCharsets.UTF_8), false);
            long begin = System.nanoTime();
            ClassGrading.run(engine, List.of(threads, daemon), full, work.resolve("class.json"), work.resolve("xml"), 2,
                    captured);
            Files.writeString(work.resolve("class-short.json"), "{\"students\": {}, \"notGraded\": {}}");
            if (students.stream().anyMatch(Student::shortLimit)) {
                Manifest.Lesson shortThreads = withLimit(threads, SHORT_LIMIT_SECONDS);
                ClassGrading.run(engine, List.of(shortThreads), quick, work.resolve("class-short.json"), null, 2, captured);
            }
            double seconds = (System.nanoTime() - begin) / 1e9;
            JsonObject graded = JsonParser.parseString(Files.readString(work.resolve("class.json"))).getAsJsonObject();
            JsonObject gradedShort = JsonParser.parseString(Files.readString(work.resolve("class-short.json"))).getAsJsonObject();
            for (Student student : students) {
                JsonObject document = student.shortLimit() ? gradedShort : graded;
                int limit = student.shortLimit() ? SHORT_LIMIT_SECONDS : threads.harness().gradeSeconds();
                List<String> problems = Expectations.check(student, document, limit);
                out.record(problems.isEmpty(), "fixture \"" + Console.clean(student.name()) + "\" graded as expected"
                        + Expectations.summary(student, document), String.join("\n", problems));
            }
            exercismRules(graded, out);
            before.compare(Integrity.take(root, work), console.toByteArray(), out);
            golden(root, students, graded, gradedShort, updateGolden, out);
            out.record(true, String.format("the fixture class (%d student%s) was graded in %.1f s", students.size(),
                    students.size() == 1 ? "" : "s", seconds), null);
        } finally {
            Processes.deleteTree(work);
        }
    }

    /** Each graded student's results.json documents, against (or, updating, as) its golden file. */
    static void golden(Path root, List<Student> students, JsonObject graded, JsonObject gradedShort, boolean update,
            Recorder out) throws IOException {
        for (Student student : students) {
            String name = Console.clean(student.name());
            JsonObject document = student.shortLimit() ? gradedShort : graded;
            JsonObject entry = document.getAsJsonObject("students").getAsJsonObject(name);
            if (entry == null) continue; // not graded: Expectations checks the reason
            JsonObject results = entry.getAsJsonObject("results");
            if (update) {
                Golden.write(root, name, results, student.testsVary());
                out.note("wrote " + Golden.FOLDER + "/" + name + ".json");
                continue;
            }
            List<String> differences = Golden.compare(root, name, results, student.testsVary());
            int compared = Golden.fields(Golden.comparable(root, results, student.testsVary()));
            out.record(differences.isEmpty(), "fixture \"" + name + "\": every results.json field (" + compared
                    + ") agrees with its golden file", String.join("\n", differences));
        }
    }

    /** Every results.json the class produced follows Exercism's interface (see {@link ExercismRules}). */
    static void exercismRules(JsonObject graded, Recorder out) {
        List<String> problems = new ArrayList<>();
        int documents = 0;
        for (Map.Entry<String, com.google.gson.JsonElement> student : graded.getAsJsonObject("students").entrySet()) {
            JsonObject results = student.getValue().getAsJsonObject().getAsJsonObject("results");
            for (Map.Entry<String, com.google.gson.JsonElement> lesson : results.entrySet()) {
                documents++;
                for (String broken : ExercismRules.violations(lesson.getValue().getAsJsonObject())) {
                    problems.add(Console.clean(student.getKey()) + ", lesson " + lesson.getKey() + ": " + broken);
                }
            }
        }
        out.record(problems.isEmpty(), "every results.json of the fixture class follows Exercism's interface, version 3 ("
                + documents + " documents)", String.join("\n", problems));
    }

    static Manifest.Lesson withLimit(Manifest.Lesson lesson, int seconds) {
        Manifest.Harness h = lesson.harness();
        return new Manifest.Lesson(lesson.id(), lesson.slug(), lesson.title(), lesson.question(), lesson.alias(),
                lesson.exercises(), new Manifest.Harness(h.runArgs(), h.runSeconds(), seconds, h.prints(), h.interleavings(),
                h.unsafeMemoryAccess()));
    }

    /** One student's folder: lessons/01_threads.java as the fixture says, and any companions. */
    static void build(Path root, Student student, Path classDir, Manifest.Lesson lesson) throws IOException {
        Path folder = classDir.resolve(student.name());
        if (student.text("linkFolderTo") != null) {
            Files.createSymbolicLink(folder, classDir.resolve(student.text("linkFolderTo")));
            return;
        }
        Path lessons = Files.createDirectories(folder.resolve("lessons"));
        Path target = lessons.resolve(lesson.fileName());
        if (student.text("link") != null) {
            Files.createSymbolicLink(target, Path.of(placeholders(student.text("link"), root, classDir)));
            return;
        }
        String from = "lesson".equals(student.text("from")) ? "lessons" : "solutions";
        String text = Files.readString(root.resolve(from).resolve(lesson.fileName()));
        @SuppressWarnings("unchecked")
        List<List<String>> replace = (List<List<String>>) student.spec().getOrDefault("replace", List.of());
        for (List<String> pair : replace) {
            if (!text.contains(pair.get(0))) throw new IllegalStateException(student.name() + ": no '" + pair.get(0)
                    + "' to replace");
            text = text.replace(pair.get(0), pair.get(1));
        }
        if (student.text("overlay") != null) {
            String overlay = Files.readString(root.resolve("tests/fixtures").resolve(student.text("overlay")));
            text = Sources.overlay(text, placeholders(overlay, root, classDir));
        }
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (student.spec().get("insertByte") instanceof Integer value) {
            int at = text.indexOf("// ") + 3;
            byte[] with = new byte[bytes.length + 1];
            System.arraycopy(bytes, 0, with, 0, at);
            with[at] = (byte) (int) value;
            System.arraycopy(bytes, at, with, at + 1, bytes.length - at);
            bytes = with;
        }
        Files.write(target, bytes);
        @SuppressWarnings("unchecked")
        List<String> also = (List<String>) student.spec().getOrDefault("also", List.of());
        for (String id : also) {
            try (Stream<Path> files = Files.list(root.resolve("solutions"))) {
                for (Path solution : files.filter(f -> f.getFileName().toString().startsWith(id + "_")).toList()) {
                    Files.copy(solution, lessons.resolve(solution.getFileName()), LinkOption.NOFOLLOW_LINKS);
                }
            }
        }
    }

    static String placeholders(String text, Path root, Path classDir) {
        return text.replace("@CLASS_DIR@", classDir.toString()).replace("@REPO@", root.toString())
                .replace("@HOME@", System.getProperty("user.home"));
    }

    static List<String> markers() {
        return new ArrayList<>(List.of("314159", "271828"));
    }
}
