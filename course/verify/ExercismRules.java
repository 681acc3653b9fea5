package course.verify;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The rules of Exercism's test-runner interface, version 3, that a results.json must follow
 * (https://exercism.org/docs/building/tooling/test-runners/interface), as checks: verify applies
 * them to every document the fixture class produces, and the tool's tests to the writer's output.
 */
public final class ExercismRules {

    private ExercismRules() {}

    static final Set<String> STATUSES = Set.of("pass", "fail", "error");

    /** Each rule the document breaks, as a sentence; empty when it follows them all. */
    public static List<String> violations(JsonObject results) {
        List<String> broken = new ArrayList<>();
        if (!results.has("version") || results.get("version").getAsInt() != 3) broken.add("version is not 3");
        String status = text(results, "status");
        if (!STATUSES.contains(status)) broken.add("status '" + status + "' is not pass, fail or error");
        boolean hasMessage = text(results, "message") != null && !text(results, "message").isBlank();
        if ("error".equals(status) != hasMessage) broken.add("a top-level message must be there exactly when status is error");
        List<JsonObject> tests = new ArrayList<>();
        if (results.has("tests")) results.getAsJsonArray("tests").forEach(test -> tests.add(test.getAsJsonObject()));
        boolean allPass = !tests.isEmpty() && tests.stream().allMatch(t -> "pass".equals(text(t, "status")));
        boolean allError = tests.stream().allMatch(t -> "error".equals(text(t, "status")));
        if ("pass".equals(status) != allPass) broken.add("status must be pass exactly when every test passed");
        if ("error".equals(status) && !allError) broken.add("status is error although some test did not err");
        for (int i = 0; i < tests.size(); i++) broken.addAll(test(tests.get(i), "tests[" + i + "]"));
        return broken;
    }

    static List<String> test(JsonObject test, String where) {
        List<String> broken = new ArrayList<>();
        String status = text(test, "status");
        if (text(test, "name") == null || text(test, "name").isBlank()) broken.add(where + ": no name");
        if (!STATUSES.contains(status)) broken.add(where + ": status '" + status + "' is not pass, fail or error");
        String message = text(test, "message");
        if (!"pass".equals(status) && (message == null || message.isBlank())) broken.add(where + ": fails with no message");
        if (text(test, "test_code") == null) broken.add(where + ": no test_code");
        String output = text(test, "output");
        if (output != null && output.length() > 500) broken.add(where + ": output longer than 500 characters");
        JsonElement task = test.get("task_id");
        if (task != null && !task.isJsonNull() && (!task.isJsonPrimitive() || !task.getAsJsonPrimitive().isNumber()
                || task.getAsDouble() < 1 || task.getAsDouble() != Math.rint(task.getAsDouble()))) {
            broken.add(where + ": task_id is not a whole number from 1");
        }
        if (message != null && message.matches("(?s).*(course-(job|run|warmup|fixtures)-|/variant-).*")) {
            broken.add(where + ": the message shows a temporary folder's path");
        }
        return broken;
    }

    static String text(JsonObject object, String key) {
        JsonElement value = object.get(key);
        return value == null || value.isJsonNull() ? null : value.getAsString();
    }
}
