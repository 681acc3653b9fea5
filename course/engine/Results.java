package course.engine;

import course.engine.TestPlan.TestCase;
import course.protocol.Event;
import course.protocol.Status;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What a job found out: per variant, whether it compiled and what each planned test did. */
public final class Results {

    private Results() {}

    /** One test's result; {@code test} comes from the tool's own plan. */
    public record TestResult(TestCase test, Status status, String message, String output, long millis) {
        public String exercise() {
            return test.exercise();
        }
    }

    /** One variant (a lesson file, with or without a wrong answer laid over it). */
    public static final class Variant {
        final String name;
        boolean compiled = true;
        List<Event.Diagnostic> diagnostics = List.of();
        final Map<String, TestResult> results = new LinkedHashMap<>();
        final List<TestCase> plan;
        /** Why some tests have no result of their own (a time limit, a dead JVM), or null. */
        String problem;
        /** Why the results cannot be believed, or null. */
        String tampered;
        /** The key of the test the time limit ended (its error says so, not what the test found), or null. */
        String cutShort;

        Variant(String name, List<TestCase> plan) {
            this.name = name;
            this.plan = plan;
        }

        /** A variant as a finished job leaves it; for the tool's own tests of verdicts and reports. */
        public static Variant of(String name, List<TestCase> plan, List<Event.Diagnostic> diagnostics,
                                 List<TestResult> results, String problem, String tampered) {
            return of(name, plan, diagnostics, results, problem, tampered, null);
        }

        /** The same, with the key of the test the time limit ended. */
        public static Variant of(String name, List<TestCase> plan, List<Event.Diagnostic> diagnostics,
                                 List<TestResult> results, String problem, String tampered, String cutShort) {
            Variant variant = new Variant(name, List.copyOf(plan));
            variant.compiled = diagnostics.isEmpty();
            variant.diagnostics = List.copyOf(diagnostics);
            for (TestResult result : results) variant.results.put(result.test().key(), result);
            variant.problem = problem;
            variant.tampered = tampered;
            variant.cutShort = cutShort;
            return variant;
        }

        public String name() {
            return name;
        }

        public boolean compiled() {
            return compiled;
        }

        public List<Event.Diagnostic> diagnostics() {
            return diagnostics;
        }

        public String problem() {
            return problem;
        }

        public String tampered() {
            return tampered;
        }

        public String cutShort() {
            return cutShort;
        }

        /**
         * Whether this run settles {@code exercise}: it was not tampered with, and it did not compile
         * or every test of the exercise has a result of its own, none ended by the time limit.
         */
        public boolean settles(String exercise) {
            if (tampered != null) return false;
            if (!compiled) return true;
            return plan.stream().filter(test -> exercise.equals(test.exercise()))
                    .allMatch(test -> results.containsKey(test.key()) && !test.key().equals(cutShort));
        }

        /** Every planned test, in source order; a test that never reported is an error. */
        public List<TestResult> tests() {
            List<TestResult> tests = new ArrayList<>();
            for (TestCase test : plan) {
                TestResult result = results.get(test.key());
                String why = problem != null ? problem : !compiled ? "the lesson does not compile" : null;
                tests.add(result != null ? result : new TestResult(test, Status.ERROR,
                        why == null ? "not run" : "not run: " + Text.firstLine(why, 200), "", 0));
            }
            return tests;
        }

        public List<TestResult> testsOf(String exercise) {
            return tests().stream().filter(test -> exercise.equals(test.exercise())).toList();
        }
    }

    /** A whole job: its variants by name, how long it took, and whether it ran out of time. */
    public record Job(Map<String, Variant> variants, long millis, boolean timedOut) {
        public Variant variant(String name) {
            return variants.get(name);
        }

        /** Whether every variant settles {@code exercise} (see {@link Variant#settles}). */
        public boolean settles(String exercise) {
            return variants.values().stream().allMatch(variant -> variant.settles(exercise));
        }

        /** The same job with only {@code exercise}'s tests: a whole lesson's run, graded for one exercise. */
        public Job onlyExercise(String exercise) {
            Map<String, Variant> only = new LinkedHashMap<>();
            for (Variant variant : variants.values()) {
                Variant part = new Variant(variant.name, variant.plan.stream().filter(t -> exercise.equals(t.exercise()))
                        .toList());
                part.compiled = variant.compiled;
                part.diagnostics = variant.diagnostics;
                part.problem = variant.problem;
                part.tampered = variant.tampered;
                part.cutShort = variant.cutShort;
                variant.results.forEach((key, result) -> {
                    if (exercise.equals(result.exercise())) part.results.put(key, result);
                });
                only.put(variant.name, part);
            }
            return new Job(only, millis, timedOut && !settles(exercise)); // a settled exercise did not run out of time
        }
    }
}
