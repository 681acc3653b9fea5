package course.protocol;

import java.util.List;
import java.util.Map;

/**
 * What a lesson job (the child JVM that compiles and tests one lesson) tells the course tool,
 * one JSON object a line on a channel only the job's runner writes. Each line also carries the
 * run's secret and a sequence number (see {@link Json#line}), so that text the submitted code
 * writes can never pass for a result.
 *
 * <p>The events of one job, in order (the tool rejects any other order):
 * <pre>
 *   for each variant:  Compiled  [Plan  (Started  Finished)*  Witness  VariantDone]
 *   then:              Done
 * </pre>
 * A variant that does not compile ends at Compiled. A JVM that dies mid-test stops the
 * sequence after a Started: the tool then starts a new job for the rest.
 */
public sealed interface Event {

    /** The name each event type has on the wire, and its record. */
    Map<String, Class<? extends Event>> TYPES = Map.of(
            "compiled", Compiled.class, "plan", Plan.class, "started", Started.class,
            "finished", Finished.class, "witness", Witness.class, "variant-done", VariantDone.class,
            "done", Done.class);

    /** A compiler message, with the file as the learner knows it ("lessons/01_threads.java"). */
    record Diagnostic(String file, long line, String message) {
        @Override
        public String toString() {
            return file + ":" + line + ": " + message;
        }
    }

    /** A test as JUnit discovered it. */
    record PlannedTest(String id, String className, String method) {}

    record Compiled(String variant, boolean ok, List<Diagnostic> diagnostics) implements Event {}

    record Plan(String variant, List<PlannedTest> tests) implements Event {}

    record Started(String variant, String test) implements Event {}

    record Finished(String variant, String test, Status status, String message, String output, long millis)
            implements Event {}

    /** JUnit's own XML report of the variant, as a second witness of each test's outcome. */
    record Witness(String variant, String xml) implements Event {}

    record VariantDone(String variant) implements Event {}

    record Done() implements Event {}

    static String typeOf(Event event) {
        return TYPES.entrySet().stream().filter(e -> e.getValue() == event.getClass())
                .map(Map.Entry::getKey).findFirst().orElseThrow();
    }
}
