package course.verify;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import course.report.Console;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** What a fixture student's grade must be, checked against the class's JSON report. */
final class Expectations {

    private Expectations() {}

    static List<String> check(Fixtures.Student student, JsonObject document, int limitSeconds) {
        Map<String, Object> expect = student.expect();
        String name = Console.clean(student.name()); // as the class report names the folder
        List<String> problems = new ArrayList<>();
        if (expect.containsKey("notGraded")) {
            JsonElement why = document.getAsJsonObject("notGraded").get(name);
            if (why == null || !why.getAsString().contains(expect.get("notGraded").toString())) {
                problems.add("expected 'not graded: ..." + expect.get("notGraded") + "...', got " + why);
            }
            if (document.getAsJsonObject("students").has(name)) problems.add("it was graded all the same");
            return problems;
        }
        JsonObject graded = document.getAsJsonObject("students").getAsJsonObject(name);
        if (graded == null) return List.of("missing from the class report: " + document.getAsJsonObject("notGraded").get(name));
        JsonArray lessons = graded.getAsJsonObject("summary").getAsJsonArray("lessons");
        JsonObject lesson = lessons.get(0).getAsJsonObject();
        expectEqual(problems, "status", expect.get("status"), lesson.get("status").getAsString());
        expectEqual(problems, "points", expect.get("points"), lesson.get("points").getAsInt());
        if (expect.get("message") != null) {
            JsonElement message = lesson.get("message");
            if (message == null || !message.getAsString().contains(expect.get("message").toString())) {
                problems.add("the lesson's message does not say \"" + expect.get("message") + "\": " + message);
            }
        }
        if (expect.get("exercises") instanceof Map<?, ?> exercises) {
            for (JsonElement exercise : lesson.getAsJsonArray("exercises")) {
                String id = exercise.getAsJsonObject().get("id").getAsString();
                if (exercises.containsKey(id)) expectEqual(problems, id, exercises.get(id),
                        exercise.getAsJsonObject().get("status").getAsString());
            }
        }
        if (expect.get("testMessage") != null) {
            boolean said = false;
            for (JsonElement test : graded.getAsJsonObject("results").getAsJsonObject("01").getAsJsonArray("tests")) {
                JsonElement message = test.getAsJsonObject().get("message");
                said |= message != null && message.getAsString().contains(expect.get("testMessage").toString());
            }
            if (!said) problems.add("no test's message says \"" + expect.get("testMessage") + "\"");
        }
        if (expect.get("lesson02") != null && lessons.size() > 1) {
            expectEqual(problems, "lesson 02", expect.get("lesson02"),
                    lessons.get(1).getAsJsonObject().get("status").getAsString());
        }
        double seconds = lesson.get("seconds").getAsDouble();
        if (seconds > limitSeconds + 10) problems.add(String.format("took %.1f s, more than the limit of %d s + 10 s", seconds,
                limitSeconds));
        return problems;
    }

    private static void expectEqual(List<String> problems, String what, Object expected, Object actual) {
        if (expected != null && !expected.toString().equals(actual.toString())) {
            problems.add(what + " is " + actual + ", expected " + expected);
        }
    }

    /** " (fail, 20/30, 4.1 s)" for the report line. */
    static String summary(Fixtures.Student student, JsonObject document) {
        JsonObject graded = document.getAsJsonObject("students").getAsJsonObject(Console.clean(student.name()));
        if (graded == null) return " (not graded)";
        JsonObject lesson = graded.getAsJsonObject("summary").getAsJsonArray("lessons").get(0).getAsJsonObject();
        return String.format(" (%s, %d/%d, %.1f s)", lesson.get("status").getAsString(), lesson.get("points").getAsInt(),
                lesson.get("maxPoints").getAsInt(), lesson.get("seconds").getAsDouble());
    }
}
