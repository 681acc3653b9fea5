package course.engine;

import course.engine.Results.TestResult;
import course.engine.TestPlan.TestCase;
import course.protocol.Event;
import course.protocol.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Turns a job's events into results, attempt after attempt, and notices what cannot be true: a
 * line with another secret, a test the sources do not have, a plan that differs from the
 * sources', a witness (JUnit's own XML) that disagrees with the events.
 */
final class Ledger {

    record InFlight(String variant, String key) {}

    record Outcome(boolean done, Set<String> finished, InFlight inFlight) {}

    private final Map<String, Results.Variant> variants;
    /** JUnit's unique id of each test, by "Class#method". */
    private final Map<String, String> uniqueIds = new HashMap<>();
    private final List<String> excluded = new ArrayList<>();

    Ledger(Map<String, Results.Variant> variants) {
        this.variants = variants;
    }

    /** Tests that have a result: a new attempt leaves them out. */
    List<String> excluded() {
        return List.copyOf(excluded);
    }

    Outcome apply(EventReader reader, List<String> attempted) {
        if (reader.forged() > 0) {
            attempted.forEach(name -> tamper(variants.get(name), reader.forged()
                    + " lines on the results channel carried a secret other than this run's"));
        }
        boolean done = false;
        Set<String> finished = new HashSet<>();
        InFlight inFlight = null;
        Map<String, Map<String, Boolean>> passedNow = new HashMap<>();
        Map<String, String> keys = new HashMap<>();
        for (Event event : reader.events()) {
            String name = variantOf(event);
            Results.Variant variant = name == null ? null : variants.get(name);
            if (name != null && (variant == null || !attempted.contains(name))) {
                attempted.forEach(n -> tamper(variants.get(n), "an event for a variant this job does not test"));
                continue;
            }
            switch (event) {
                case Event.Compiled compiled -> {
                    variant.compiled = compiled.ok();
                    variant.diagnostics = List.copyOf(compiled.diagnostics());
                    if (!compiled.ok()) finished.add(name);
                }
                case Event.Plan plan -> checkPlan(variant, plan, keys);
                case Event.Started started -> inFlight = new InFlight(name, keys.get(started.test()));
                case Event.Finished result -> {
                    String key = keys.get(result.test());
                    TestCase test = key == null ? null : testOf(variant, key);
                    if (test == null) {
                        tamper(variant, "a result for a test the sources do not have: " + result.test());
                        continue;
                    }
                    variant.results.put(key, new TestResult(test, result.status(), result.message(),
                            result.output() == null ? "" : result.output(), result.millis()));
                    excluded.add(result.test());
                    passedNow.computeIfAbsent(name, n -> new HashMap<>()).put(key, result.status().passed());
                    inFlight = null;
                }
                case Event.Witness witness -> checkWitness(variant, witness.xml(), passedNow.getOrDefault(name, Map.of()));
                case Event.VariantDone ignored -> finished.add(name);
                case Event.Done ignored -> done = true;
            }
        }
        return new Outcome(done, finished, inFlight == null || inFlight.key() == null ? null : inFlight);
    }

    private void checkPlan(Results.Variant variant, Event.Plan plan, Map<String, String> keys) {
        Set<String> expected = new TreeSet<>();
        for (TestCase test : variant.plan) if (!variant.results.containsKey(test.key())) expected.add(test.key());
        Set<String> planned = new TreeSet<>();
        for (Event.PlannedTest test : plan.tests()) {
            String key = test.className() + "#" + test.method();
            keys.put(test.id(), key);
            uniqueIds.put(key, test.id());
            planned.add(key);
        }
        if (!planned.equals(expected)) {
            Set<String> extra = new TreeSet<>(planned);
            extra.removeAll(expected);
            Set<String> absent = new TreeSet<>(expected);
            absent.removeAll(planned);
            tamper(variant, "the job's tests differ from the test sources (extra " + extra + ", absent " + absent + ")");
        }
    }

    private static void checkWitness(Results.Variant variant, String xml, Map<String, Boolean> passed) {
        Map<String, Boolean> witnessed = Witness.passed(xml);
        for (Map.Entry<String, Boolean> result : passed.entrySet()) {
            Boolean seen = witnessed.get(result.getKey());
            if (seen == null || seen != result.getValue()) {
                tamper(variant, "JUnit's own report says " + result.getKey() + (seen == null ? " did not run"
                        : seen ? " passed" : " did not pass") + ", the events say it " + (result.getValue() ? "passed"
                                : "did not pass"));
                return;
            }
        }
    }

    /**
     * The test in flight ended the JVM, or the time limit ended it ({@code byLimit}): it is an
     * error, and the next attempt leaves it out.
     */
    void died(InFlight inFlight, String why, String stderr, boolean byLimit) {
        Results.Variant variant = variants.get(inFlight.variant());
        TestCase test = testOf(variant, inFlight.key());
        if (test == null) return;
        variant.results.put(inFlight.key(), new TestResult(test, Status.ERROR, why, Text.tail(stderr, 4000), 0));
        if (byLimit) variant.cutShort = inFlight.key();
        String id = uniqueIds.get(inFlight.key());
        if (id != null) excluded.add(id);
    }

    void giveUp(List<JobRunner.Variant> pending, String problem) {
        for (JobRunner.Variant variant : pending) variants.get(variant.name()).problem = problem;
    }

    private static TestCase testOf(Results.Variant variant, String key) {
        return variant.plan.stream().filter(t -> t.key().equals(key)).findFirst().orElse(null);
    }

    private static void tamper(Results.Variant variant, String why) {
        if (variant != null && variant.tampered == null) variant.tampered = why;
    }

    private static String variantOf(Event event) {
        return switch (event) {
            case Event.Compiled e -> e.variant();
            case Event.Plan e -> e.variant();
            case Event.Started e -> e.variant();
            case Event.Finished e -> e.variant();
            case Event.Witness e -> e.variant();
            case Event.VariantDone e -> e.variant();
            case Event.Done e -> null;
        };
    }
}
