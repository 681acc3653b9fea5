import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.DisabledOnOs;
import org.junit.jupiter.api.condition.OS;

/** Tests for exercises 5.1 and 5.2 of lessons/05_processes.java. Tags name the exercise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ProcessesTest {

    // ---- 5.1 reportPids ------------------------------------------------------------------

    @Test
    @Tag("5.1")
    @DisplayName("5.1 starts a child JVM of this class, whose parent is this JVM, and reports its pid")
    void reportPidsStartsAChildOfThisJvm() throws Exception {
        long myPid = ProcessHandle.current().pid();
        Set<Long> before = descendantPids();
        Processes.PidReport report;
        Probe.Caller<Processes.PidReport> caller = Probe.call("test-caller", Processes::reportPids);
        try {
            report = caller.future().get(25, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnsupportedOperationException notDone) throw notDone;
            throw new AssertionError("reportPids threw " + e.getCause() + ": did the child start? It needs the java "
                    + "under java.home, -cp with java.class.path, the main class Processes and the argument \"pids\"",
                    e.getCause());
        } finally {
            for (ProcessHandle leftover : ProcessHandle.current().descendants().toList()) {
                if (!before.contains(leftover.pid())) leftover.destroyForcibly();
            }
        }
        assertThat(report).as("what reportPids returned").isNotNull();
        assertThat(report.reportedParentPid())
                .as("the child says its parent is pid %d, but this JVM is pid %d: start the child from this JVM",
                        report.reportedParentPid(), myPid)
                .isEqualTo(myPid);
        assertThat(report.reportedPid())
                .as("the pid the child printed: a child is a new process, not this one (pid %d)", myPid)
                .isNotEqualTo(myPid);
        assertThat(report.processPid())
                .as("processPid is %d but the child says it is pid %d: take the pid from the Process you started",
                        report.processPid(), report.reportedPid())
                .isEqualTo(report.reportedPid());
        boolean stillRunning = ProcessHandle.of(report.reportedPid()).map(ProcessHandle::isAlive).orElse(false);
        assertThat(stillRunning)
                .as("child %d is still running after reportPids returned: wait for it (waitFor)", report.reportedPid())
                .isFalse();
    }

    // The next two tests put a stand-in `java` under java.home: a shell script in a folder
    // whose path has spaces, which starts the real java. A command built as one string and
    // split on spaces (Runtime.exec(String)) cannot start it.

    @Test
    @Tag("5.1")
    @DisabledOnOs(OS.WINDOWS) // the stand-in java is a shell script
    @DisplayName("5.1 parses the child's standard output only: a JVM note on standard error must not confuse it")
    void reportPidsReadsStandardOutputOnly() throws Exception {
        // JAVA_TOOL_OPTIONS makes every JVM print "Picked up JAVA_TOOL_OPTIONS: ..." on its
        // standard error before main runs; many machines and CI systems set it.
        String script = """
                JAVA_TOOL_OPTIONS='-Dlesson.note=on-stderr'
                export JAVA_TOOL_OPTIONS
                exec %s "$@"
                """;
        Processes.PidReport report = withStandInJava(script, home -> {
            Probe.Caller<Processes.PidReport> caller = Probe.call("test-caller", Processes::reportPids);
            try {
                return caller.future().get(25, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnsupportedOperationException notDone) throw notDone;
                notStarted(e.getCause(), home);
                throw new AssertionError("reportPids threw " + e.getCause() + " for a child that printed \"pid N parent M\" "
                        + "on standard output and \"Picked up JAVA_TOOL_OPTIONS: ...\" on standard error (as every JVM "
                        + "does when that variable is set): parse standard output only; do not merge standard error "
                        + "into it (redirectErrorStream(true)), send it elsewhere (redirectError(INHERIT) or DISCARD)",
                        e.getCause());
            }
        });
        assertThat(report.reportedParentPid())
                .as("the parent pid the child printed, with a note on its standard error (this JVM is pid %d)",
                        ProcessHandle.current().pid())
                .isEqualTo(ProcessHandle.current().pid());
        assertThat(report.processPid()).as("processPid against the pid the child printed").isEqualTo(report.reportedPid());
    }

    @Test
    @Tag("5.1")
    @DisabledOnOs(OS.WINDOWS) // the stand-in java is a shell script
    @DisplayName("5.1 throws IllegalStateException when the child exits with a code other than 0")
    void reportPidsRefusesAFailedChild() throws Exception {
        // The real java runs and prints its line, then the stand-in exits with 3.
        String script = """
                %s "$@"
                echo "the stand-in java failed after its child JVM ended" >&2
                exit 3
                """;
        withStandInJava(script, home -> {
            Probe.Caller<Processes.PidReport> caller = Probe.call("test-caller", Processes::reportPids);
            try {
                Processes.PidReport report = caller.future().get(25, TimeUnit.SECONDS);
                fail("the child exited with code 3, but reportPids returned %s: check exitValue() after waitFor, and "
                        + "throw IllegalStateException (with what the child printed) when it is not 0", report);
            } catch (ExecutionException e) {
                if (e.getCause() instanceof UnsupportedOperationException notDone) throw notDone;
                notStarted(e.getCause(), home);
                assertThat(e.getCause())
                        .as("what reportPids threw for a child that exited with code 3 (the java was %s)",
                                home.resolve("bin").resolve("java"))
                        .isInstanceOf(IllegalStateException.class);
            }
            return null;
        });
    }

    /** Fails with a message about spaces if {@code thrown} says the java could not be started. */
    static void notStarted(Throwable thrown, Path home) {
        if (thrown instanceof IOException) {
            throw new AssertionError("reportPids could not start " + home.resolve("bin").resolve("java") + " (" + thrown
                    + "): its path has spaces; pass the command to ProcessBuilder as a list of words, never as one "
                    + "string that something splits at the spaces (Runtime.exec(String))", thrown);
        }
    }

    interface WithHome<T> {
        T run(Path home) throws Exception;
    }

    /**
     * Runs {@code body} while java.home names a folder (with spaces in its path) whose bin/java
     * is {@code script}, with %s standing for the real java; then restores java.home and ends
     * whatever the body left running.
     */
    static <T> T withStandInJava(String script, WithHome<T> body) throws Exception {
        String realHome = System.getProperty("java.home");
        String realJava = Path.of(realHome, "bin", "java").toString();
        Path home = Files.createTempDirectory("a java home with spaces ");
        Path java = Files.createDirectories(home.resolve("bin")).resolve("java");
        Path used = home.resolve("used");
        Files.writeString(java, "#!/bin/sh\n: > '" + used + "'\n" + script.formatted("'" + realJava + "'"));
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        Set<Long> before = descendantPids();
        System.setProperty("java.home", home.toString());
        try {
            T result = body.run(home);
            assertThat(Files.exists(used))
                    .as("the java under java.home (%s) never ran: read System.getProperty(\"java.home\") when reportPids "
                            + "runs, and start <java.home>/bin/java", home)
                    .isTrue();
            return result;
        } finally {
            System.setProperty("java.home", realHome);
            for (ProcessHandle leftover : ProcessHandle.current().descendants().toList()) {
                if (!before.contains(leftover.pid())) leftover.destroyForcibly();
            }
            try (Stream<Path> files = Files.walk(home)) {
                for (Path file : files.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(file);
            } catch (IOException ignored) {
                // a temporary folder
            }
        }
    }

    // ---- 5.2 parallelMap -----------------------------------------------------------------

    @Test
    @Tag("5.2")
    @DisplayName("5.2 runs exactly `workers` calls at once, never more, on threads of its own")
    void parallelMapUsesExactlyWorkersThreads() throws Exception {
        int workers = 4;
        List<Integer> items = new ArrayList<>();
        for (int i = 0; i < 3 * workers; i++) items.add(i);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch gate = new CountDownLatch(1);

        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Processes.parallelMap(items, workers, item -> {
            threads.add(Thread.currentThread());
            peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
            try {
                Probe.await(gate); // every call waits here until the test opens the gate
                return "r" + item;
            } finally {
                inFlight.decrementAndGet();
            }
        }));
        try {
            // Hold the calls: a correct answer has exactly `workers` of them running now.
            if (!Probe.eventually(() -> inFlight.get() >= workers || caller.returned())) {
                fail("only %d of %d calls ran at the same time after %d s: are there %d worker threads, "
                        + "all started before you wait for any result?", peak.get(), workers,
                        Probe.PATIENCE.toSeconds(), workers);
            }
            // Watch a while longer: no more than `workers` calls may start while these run.
            boolean neverMore = holdsFor(Duration.ofMillis(500), () -> inFlight.get() <= workers);
            if (!neverMore) {
                fail("%d calls ran at the same time with workers = %d: use a pool of exactly `workers` threads, "
                        + "not a thread per item", peak.get(), workers);
            }
        } finally {
            gate.countDown();
        }
        List<String> results = caller.result();
        assertThat(peak.get())
                .as("the most calls running at the same time, with workers = %d", workers)
                .isEqualTo(workers);
        assertThat(threads).as("the threads that ran the calls must not include the caller's")
                .doesNotContain(caller.thread());
        assertThat(threads.size())
                .as("how many different threads ran the %d calls (workers = %d)", items.size(), workers)
                .isEqualTo(workers);
        assertThat(results).as("the results, in the order of the items")
                .containsExactlyElementsOf(items.stream().map(item -> "r" + item).toList());
        if (!Probe.eventually(() -> threads.stream().noneMatch(Thread::isAlive))) {
            fail("worker threads %s are still alive %d s after parallelMap returned: shut your pool down (close it)",
                    threads.stream().filter(Thread::isAlive).map(Thread::getName).toList(), Probe.PATIENCE.toSeconds());
        }
    }

    @Test
    @Tag("5.2")
    @DisplayName("5.2 returns results in the order of the items, not the order calls finish in")
    void parallelMapKeepsTheOrderOfTheItems() throws Exception {
        int workers = 3;
        int count = 3 * workers;
        List<Integer> items = new ArrayList<>();
        List<CountDownLatch> finished = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            items.add(i);
            finished.add(new CountDownLatch(1));
        }
        // Within each group of `workers` items, item i finishes only after item i + 1 has, and its
        // worker has stored its result and moved on: the calls of a group finish last-first.
        java.util.concurrent.ConcurrentHashMap<Integer, Thread> threadOf = new java.util.concurrent.ConcurrentHashMap<>();
        List<String> results = Processes.parallelMap(items, workers, item -> {
            threadOf.put(item, Thread.currentThread());
            if (item % workers != workers - 1 && Probe.await(finished.get(item + 1))
                    && threadOf.get(item + 1) != Thread.currentThread()) {
                Probe.eventually(() -> Probe.settled(threadOf.get(item + 1)));
            }
            finished.get(item).countDown();
            return "value of " + item;
        });
        assertThat(results)
                .as("the calls finished last-first in each group of %d; the results must still follow the items", workers)
                .containsExactlyElementsOf(items.stream().map(item -> "value of " + item).toList());
    }

    @Test
    @Tag("5.2")
    @DisplayName("5.2 keeps the list's order and its repeats, for items whose hash order is not their list order")
    void parallelMapKeepsRepeatsAndListOrder() throws Exception {
        // In a HashMap or HashSet these come out in another order, and the repeats collapse.
        List<String> items = List.of("pear", "apple", "fig", "pear", "kiwi", "banana", "apple", "cherry", "date", "fig");
        List<String> expected = items.stream().map(item -> item.toUpperCase() + "(" + item.length() + ")").toList();
        List<String> results = Processes.parallelMap(items, 3, item -> item.toUpperCase() + "(" + item.length() + ")");
        assertThat(results)
                .as("the results for %s (two pears, two apples, two figs): one result per item, in the list's order; "
                        + "results kept in a map or set by item come back in hash order, and repeats are lost: keep "
                        + "the Futures in a List in item order", items)
                .containsExactlyElementsOf(expected);
    }

    @Test
    @Tag("5.2")
    @DisplayName("5.2 handles fewer items than workers, no items, and a failing call")
    void parallelMapEdgeCases() throws Exception {
        assertThat(Processes.parallelMap(List.of("a", "b", "c"), 8, String::toUpperCase))
                .as("three items on eight workers").containsExactly("A", "B", "C");
        assertThat(Processes.parallelMap(List.<String>of(), 2, String::toUpperCase)).as("no items").isEmpty();
        IllegalArgumentException failure = new IllegalArgumentException("item 5 is bad");
        Throwable thrown = catchThrowable(() -> Processes.parallelMap(List.of(1, 2, 3, 4, 5, 6), 2, item -> {
            if (item == 5) throw failure;
            return item;
        }));
        if (!(thrown instanceof IllegalStateException) || thrown.getCause() != failure) {
            fail("a call threw IllegalArgumentException(\"item 5 is bad\"), and parallelMap %s: throw "
                    + "IllegalStateException with the call's own exception as the cause (the ExecutionException's "
                    + "getCause(), not the ExecutionException)", thrown == null ? "returned normally"
                    : "threw " + thrown.getClass().getSimpleName() + " with the cause " + thrown.getCause());
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    static Set<Long> descendantPids() {
        Set<Long> pids = ConcurrentHashMap.newKeySet();
        ProcessHandle.current().descendants().forEach(handle -> pids.add(handle.pid()));
        return pids;
    }

    /** True if {@code condition} held throughout {@code window} (an observation window, not an ordering). */
    static boolean holdsFor(Duration window, java.util.function.BooleanSupplier condition) {
        try {
            await().during(window).atMost(window.plusSeconds(2)).pollInterval(Duration.ofMillis(2))
                    .until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
