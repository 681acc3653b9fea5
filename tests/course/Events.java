package course;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import java.util.List;

/**
 * What a lesson job (the child JVM that compiles and tests one lesson) tells the course
 * tool. One JSON object a line, appended to a results file that only the tool reads: text
 * that submitted code prints can never pass for a result.
 */
public final class Events {

    private Events() {}

    static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

    /** What the tool asks of a lesson job. */
    public record Job(String lessonId, String lessonFile, String testDir, String supportDir,
                      List<Variant> variants, String resultsFile, String workDir, String xmlDir,
                      List<String> exclude, int outputCapBytes) {}

    /**
     * One thing to test: a lesson source, optionally with a known-wrong answer laid over
     * it; {@code onlyExercise}, when set, runs only the tests tagged with that exercise.
     */
    public record Variant(String name, String source, String overlay, String onlyExercise) {
        public Variant(String name, String source, String overlay) {
            this(name, source, overlay, null);
        }
    }

    public record Diagnostic(String file, long line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    public record TestInfo(String id, String name, String exercise) {}

    /** One event. Unused fields stay null. */
    public record Event(String type, String variant, Boolean ok, List<Diagnostic> diagnostics,
                        List<TestInfo> tests, String id, String status, String message,
                        String output, Boolean notDone, Long millis) {

        static Event compiled(String variant, boolean ok, List<Diagnostic> diagnostics) {
            return new Event("compiled", variant, ok, diagnostics, null, null, null, null, null, null, null);
        }

        static Event plan(String variant, List<TestInfo> tests) {
            return new Event("plan", variant, null, null, tests, null, null, null, null, null, null);
        }

        static Event started(String variant, String id) {
            return new Event("started", variant, null, null, null, id, null, null, null, null, null);
        }

        static Event finished(String variant, String id, String status, String message, String output,
                              boolean notDone, long millis) {
            return new Event("finished", variant, null, null, null, id, status, message, output, notDone, millis);
        }

        static Event marker(String type, String variant) {
            return new Event(type, variant, null, null, null, null, null, null, null, null, null);
        }
    }
}
