package course.verify;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The golden results.json of each fixture student (tests/fixtures/expected/NAME.json, one document
 * per lesson id), compared field by field with what the grader wrote this time, as Exercism's
 * java-test-runner compares its expected_results.json.
 *
 * Every field of the golden document must be there with an equal value, and nothing else may be.
 * Strings are compared with their numbers made alike (timings and counts change from run to run);
 * the golden string {@value #ANY} matches any string, for the few fields whose words depend on the
 * run (a test's captured output). A fixture marked {@code testsVary} in fixtures.yaml is compared
 * without its verdicts (each test's and each lesson's status and message), only its shape.
 * {@code verify --only fixtures --update-golden} rewrites the files from a run; review the diff
 * before committing it.
 */
public final class Golden {

    private Golden() {}

    static final String ANY = "<any>";
    static final String FOLDER = "tests/fixtures/expected";
    /** The repository's path, which a message may name (a link's target), as the golden files write it. */
    static final String REPO = "@REPO@";

    static Path file(Path root, String student) {
        return root.resolve(FOLDER).resolve(student + ".json");
    }

    /**
     * Writes a student's documents as the new golden file; run-dependent fields become {@value #ANY}.
     * With {@code testsVary} (a submission that attacks the grader at a moment no test chooses), each
     * test's status, message and output, and each lesson's status and message, are left out: which
     * test it hits, and whether the grader sees it as tampering, change from run to run.
     */
    static void write(Path root, String student, JsonObject results, boolean testsVary) throws IOException {
        JsonObject golden = comparable(root, results, testsVary);
        for (Map.Entry<String, JsonElement> lesson : golden.entrySet()) {
            JsonObject document = lesson.getValue().getAsJsonObject();
            if (!document.has("tests")) continue;
            for (JsonElement test : document.getAsJsonArray("tests")) {
                if (test.getAsJsonObject().has("output")) test.getAsJsonObject().addProperty("output", ANY);
            }
        }
        Files.createDirectories(file(root, student).getParent());
        Files.writeString(file(root, student), new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create()
                .toJson(golden) + "\n", StandardCharsets.UTF_8);
    }

    /** What differs between the student's golden file and this run's documents; empty when they agree. */
    static List<String> compare(Path root, String student, JsonObject results, boolean testsVary) throws IOException {
        Path file = file(root, student);
        if (!Files.isRegularFile(file)) {
            return List.of("no golden file " + root.relativize(file) + " (write it with verify --only fixtures --update-golden)");
        }
        List<String> differences = new ArrayList<>();
        JsonElement actual = comparable(root, results, testsVary);
        differences(JsonParser.parseString(Files.readString(file)), actual, "", differences);
        return differences;
    }

    /** The documents as the golden file holds them: the repository's path as {@value #REPO}, and what varies left out. */
    static JsonObject comparable(Path root, JsonObject results, boolean testsVary) {
        JsonObject copy = JsonParser.parseString(results.toString().replace(root.toString(), REPO)).getAsJsonObject();
        if (!testsVary) return copy;
        for (Map.Entry<String, JsonElement> lesson : copy.entrySet()) {
            JsonObject document = lesson.getValue().getAsJsonObject();
            document.remove("status"); // fail, or error when what it broke was seen as tampering
            document.remove("message");
            if (!document.has("tests")) continue;
            for (JsonElement test : document.getAsJsonArray("tests")) {
                for (String field : List.of("status", "message", "output")) test.getAsJsonObject().remove(field);
            }
        }
        return copy;
    }

    /** How many values a golden document holds, for the report line. */
    static int fields(JsonElement element) {
        if (element.isJsonObject()) {
            return element.getAsJsonObject().entrySet().stream().mapToInt(field -> fields(field.getValue())).sum();
        }
        if (element.isJsonArray()) {
            int sum = 0;
            for (JsonElement item : element.getAsJsonArray()) sum += fields(item);
            return sum;
        }
        return 1;
    }

    /** What differs between a golden document and an actual one, one line per field. */
    public static List<String> differences(JsonElement expected, JsonElement actual) {
        List<String> out = new ArrayList<>();
        differences(expected, actual, "", out);
        return out;
    }

    static void differences(JsonElement expected, JsonElement actual, String at, List<String> out) {
        String where = at.isEmpty() ? "the document" : at;
        if (actual == null) {
            out.add(where + ": missing (golden: " + brief(expected) + ")");
        } else if (expected.isJsonObject() && actual.isJsonObject()) {
            JsonObject want = expected.getAsJsonObject();
            JsonObject got = actual.getAsJsonObject();
            for (Map.Entry<String, JsonElement> field : want.entrySet()) {
                differences(field.getValue(), got.get(field.getKey()), path(at, field.getKey()), out);
            }
            for (String key : got.keySet()) {
                if (!want.has(key)) out.add(path(at, key) + ": not in the golden file: " + brief(got.get(key)));
            }
        } else if (expected.isJsonArray() && actual.isJsonArray()) {
            int size = Math.max(expected.getAsJsonArray().size(), actual.getAsJsonArray().size());
            for (int i = 0; i < size; i++) {
                JsonElement want = i < expected.getAsJsonArray().size() ? expected.getAsJsonArray().get(i) : null;
                JsonElement got = i < actual.getAsJsonArray().size() ? actual.getAsJsonArray().get(i) : null;
                if (want == null) out.add(at + "[" + i + "]: not in the golden file: " + brief(got));
                else differences(want, got, at + "[" + i + "]", out);
            }
        } else if (!same(expected, actual)) {
            out.add(where + ": " + brief(actual) + ", golden: " + brief(expected));
        }
    }

    static boolean same(JsonElement expected, JsonElement actual) {
        if (expected.isJsonPrimitive() && expected.getAsJsonPrimitive().isString()) {
            if (!actual.isJsonPrimitive() || !actual.getAsJsonPrimitive().isString()) return false;
            return ANY.equals(expected.getAsString())
                    || shape(expected.getAsString()).equals(shape(actual.getAsString()));
        }
        return expected.equals(actual);
    }

    /** A text with its numbers made alike, hexadecimal ones (a lambda's class name) included. */
    static String shape(String text) {
        return Samples.shape(HEX.matcher(text).replaceAll("0x#"));
    }

    static final Pattern HEX = Pattern.compile("0x[0-9a-fA-F]+");

    static String path(String at, String key) {
        return at.isEmpty() ? key : at + "." + key;
    }

    static String brief(JsonElement element) {
        String text = element == null ? "nothing" : element.toString();
        return text.length() > 160 ? text.substring(0, 157) + "..." : text;
    }
}
