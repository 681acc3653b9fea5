import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for the exercises of lessons/01_threads.java. Tags name the exercise. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ThreadsTest {

    // ---- 1.1 parallelSum ---------------------------------------------------------------

    @Test
    @Tag("1.1")
    @DisplayName("1.1 runs every part at once, each on its own thread, and joins them all")
    void parallelSumRunsPartsConcurrentlyAndJoins() throws Exception {
        int parts = 4;
        CountDownLatch allStarted = new CountDownLatch(parts);
        CountDownLatch release = new CountDownLatch(1);
        Map<Integer, Thread> threadOfPart = new ConcurrentHashMap<>();
        AtomicReference<Thread> callerThread = new AtomicReference<>();

        Probe.Caller<Long> caller = Probe.call("test-caller", () -> {
            callerThread.set(Thread.currentThread());
            return Threads.parallelSum(parts, part -> {
                threadOfPart.put(part, Thread.currentThread());
                allStarted.countDown();
                if (Thread.currentThread() != callerThread.get()) Probe.await(release);
                return (part + 1) * 1_000L;
            });
        });
        try {
            // Every part must start while none has finished: they run at the same time.
            Probe.eventually(() -> allStarted.getCount() == 0 || caller.returned() || ranOnCaller(threadOfPart, caller));
            if (ranOnCaller(threadOfPart, caller)) {
                fail("a part ran on the calling thread itself, not on a new thread: "
                        + "did you call run() instead of start()?");
            }
            if (allStarted.getCount() > 0 && !caller.returned()) {
                fail("only %d of %d parts were running at the same time after %d s: "
                        + "does every part get its own thread, all started before you wait for any?",
                        parts - allStarted.getCount(), parts, Probe.PATIENCE.toSeconds());
            }
            // Now the parts are blocked until we release them: the caller must be waiting.
            Probe.eventually(() -> caller.waiting() || caller.returned());
            if (caller.returned()) {
                fail("parallelSum returned while its parts were still running "
                        + "(it returned %s): did you join the threads?", caller.describe());
            }
        } finally {
            release.countDown();
        }
        long sum = caller.result();
        assertThat(sum).as("the sum of parts worth 1000, 2000, 3000 and 4000").isEqualTo(10_000L);
        assertThat(Set.copyOf(threadOfPart.values()))
                .as("the threads that ran the %d parts (each part needs a thread of its own)", parts)
                .hasSize(parts);
        for (Thread thread : threadOfPart.values()) {
            assertThat(thread.isAlive())
                    .as("thread '%s' is still alive after parallelSum returned: join every thread", thread.getName())
                    .isFalse();
        }
    }

    @Test
    @Tag("1.1")
    @DisplayName("1.1 adds every part exactly, from 1 to 64 parts")
    void parallelSumIsExact() throws Exception {
        for (int parts : new int[] {1, 2, 3, 8, 64}) {
            AtomicInteger calls = new AtomicInteger();
            long sum = Threads.parallelSum(parts, part -> {
                calls.incrementAndGet();
                return (long) part * part + 1;
            });
            long expected = 0;
            for (int part = 0; part < parts; part++) expected += (long) part * part + 1;
            assertThat(calls.get()).as("how many times partSum was called for %d parts", parts).isEqualTo(parts);
            assertThat(sum).as("the total of %d parts", parts).isEqualTo(expected);
        }
    }

    // ---- 1.2 callOnNewThread -------------------------------------------------------------

    @Test
    @Tag("1.2")
    @DisplayName("1.2 runs the task on a new thread with the given name and returns its result")
    void callOnNewThreadReturnsTheResult() throws Exception {
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        String result = Threads.callOnNewThread("report-builder", () -> {
            ranOn.set(Thread.currentThread());
            return "report ready";
        });
        assertThat(ranOn.get()).as("the thread the task ran on").isNotNull();
        assertThat(ranOn.get())
                .as("the task ran on the caller's own thread: start a new thread instead of calling the task directly")
                .isNotSameAs(Thread.currentThread());
        assertThat(ranOn.get().getName()).as("the name of the thread the task ran on").isEqualTo("report-builder");
        assertThat(result).as("what callOnNewThread returned").isEqualTo("report ready");
    }

    @Test
    @Tag("1.2")
    @DisplayName("1.2 waits for the task to finish before returning")
    void callOnNewThreadWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean taskStarted = new AtomicBoolean();
        Probe.Caller<String> caller = Probe.call("test-caller", () -> Threads.callOnNewThread("slow-task", () -> {
            taskStarted.set(true);
            Probe.await(release);
            return "done";
        }));
        try {
            Probe.eventually(() -> (taskStarted.get() && caller.waiting()) || caller.returned());
            if (caller.returned()) {
                fail("callOnNewThread returned %s before its task had finished: wait for the thread (join, or a future's get)",
                        caller.describe());
            }
        } finally {
            release.countDown();
        }
        assertThat(caller.result()).as("the result of a task that finished after a wait").isEqualTo("done");
    }

    @Test
    @Tag("1.2")
    @DisplayName("1.2 rethrows the task's exception in the caller, as the cause of an ExecutionException")
    void callOnNewThreadRethrows() {
        IllegalStateException failure = new IllegalStateException("disk full");
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        Throwable thrown = catchThrowable(() -> Threads.callOnNewThread("failing-task", () -> {
            ranOn.set(Thread.currentThread());
            throw failure;
        }));
        assertThat(thrown)
                .as("the task threw IllegalStateException(\"disk full\") and callOnNewThread %s: it must throw an "
                        + "ExecutionException with that exception as its cause, not lose it on the other thread",
                        thrown == null ? "returned normally" : "threw " + thrown)
                .isInstanceOf(ExecutionException.class);
        assertThat(thrown.getCause()).as("the cause of the ExecutionException: the task's own exception object").isSameAs(failure);
        assertThat(ranOn.get()).as("the task must run on a thread of its own").isNotSameAs(Thread.currentThread());

        Exception checked = new java.io.IOException("network down");
        Throwable thrownChecked = catchThrowable(() -> Threads.callOnNewThread("failing-task", () -> {
            throw checked;
        }));
        assertThat(thrownChecked).as("what a task that threw IOException(\"network down\") made callOnNewThread throw")
                .isInstanceOf(ExecutionException.class);
        assertThat(thrownChecked.getCause()).as("the cause: the task's own IOException").isSameAs(checked);
    }

    // ---- 1.3 fetchAll ----------------------------------------------------------------------

    @Test
    @Tag("1.3")
    @DisplayName("1.3 has all 10,000 calls in flight at once, each on a virtual thread")
    void fetchAllRunsEveryCallAtOnceOnVirtualThreads() throws Exception {
        int count = 10_000;
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) keys.add("key-" + i);
        CountDownLatch allInFlight = new CountDownLatch(count);
        AtomicBoolean gaveUp = new AtomicBoolean();
        AtomicReference<String> platformThread = new AtomicReference<>();

        List<String> results = Threads.fetchAll(keys, key -> {
            Thread current = Thread.currentThread();
            if (!current.isVirtual()) platformThread.compareAndSet(null, current.getName());
            allInFlight.countDown();
            // Each call waits until every call has started. Calls made one at a time, or
            // by a pool of a few threads, never get there: we stop waiting after a while.
            if (!gaveUp.get() && !Probe.await(allInFlight)) gaveUp.set(true);
            return key.toUpperCase();
        });

        assertThat(platformThread.get())
                .as("a call ran on platform thread '%s': run every call on a virtual thread", platformThread.get())
                .isNull();
        assertThat(gaveUp.get())
                .as("only %d of %d calls were in flight at the same time: start every call before waiting for any",
                        count - allInFlight.getCount(), count)
                .isFalse();
        assertThat(results).as("the results, in the order of the keys").hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(results.get(i)).as("result number %d", i).isEqualTo("KEY-" + i);
        }
    }

    @Test
    @Tag("1.3")
    @DisplayName("1.3 returns results in the order of the keys, not the order calls finish in")
    void fetchAllKeepsTheOrderOfTheKeys() throws Exception {
        int count = 50;
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < count; i++) keys.add("k" + i);
        List<CountDownLatch> releases = new ArrayList<>();
        for (int i = 0; i < count; i++) releases.add(new CountDownLatch(1));
        CountDownLatch allStarted = new CountDownLatch(count);
        AtomicReferenceArray<Boolean> finished = new AtomicReferenceArray<>(count);

        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Threads.fetchAll(keys, key -> {
            int index = Integer.parseInt(key.substring(1));
            allStarted.countDown();
            Probe.await(releases.get(index));
            finished.set(index, true);
            return "value of " + key;
        }));
        try {
            if (!Probe.eventually(() -> allStarted.getCount() == 0 || caller.returned())) {
                fail("only %d of %d calls started at the same time: start every call before waiting for any",
                        count - allStarted.getCount(), count);
            }
            if (caller.returned()) {
                fail("fetchAll returned %s before its calls had finished", caller.describe());
            }
            // Let the calls finish last-first, one at a time.
            for (int i = count - 1; i >= 0; i--) {
                int index = i;
                releases.get(index).countDown();
                Probe.eventually(() -> Boolean.TRUE.equals(finished.get(index)));
            }
        } finally {
            releases.forEach(CountDownLatch::countDown);
        }
        List<String> expected = keys.stream().map(key -> "value of " + key).toList();
        assertThat(caller.result())
                .as("the calls finished in reverse order; the results must still follow the keys")
                .containsExactlyElementsOf(expected);
    }

    // ---- helpers -----------------------------------------------------------------------

    static boolean ranOnCaller(Map<Integer, Thread> threadOfPart, Probe.Caller<?> caller) {
        return threadOfPart.containsValue(caller.thread());
    }
}
