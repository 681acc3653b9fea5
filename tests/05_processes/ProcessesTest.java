import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

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
        // Within each group of `workers` items, item i finishes only after item i + 1 has:
        // the calls of a group finish last-first.
        List<String> results = Processes.parallelMap(items, workers, item -> {
            if (item % workers != workers - 1) Probe.await(finished.get(item + 1));
            finished.get(item).countDown();
            return "value of " + item;
        });
        assertThat(results)
                .as("the calls finished last-first in each group of %d; the results must still follow the items", workers)
                .containsExactlyElementsOf(items.stream().map(item -> "value of " + item).toList());
    }

    @Test
    @Tag("5.2")
    @DisplayName("5.2 handles fewer items than workers, no items, and a failing call")
    void parallelMapEdgeCases() throws Exception {
        assertThat(Processes.parallelMap(List.of("a", "b", "c"), 8, String::toUpperCase))
                .as("three items on eight workers").containsExactly("A", "B", "C");
        assertThat(Processes.parallelMap(List.<String>of(), 2, String::toUpperCase)).as("no items").isEmpty();
        IllegalArgumentException failure = new IllegalArgumentException("item 5 is bad");
        assertThatThrownBy(() -> Processes.parallelMap(List.of(1, 2, 3, 4, 5, 6), 2, item -> {
                    if (item == 5) throw failure;
                    return item;
                }))
                .as("a call threw IllegalArgumentException(\"item 5 is bad\"): throw IllegalStateException with it as the cause")
                .isInstanceOf(IllegalStateException.class)
                .cause().isSameAs(failure);
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
