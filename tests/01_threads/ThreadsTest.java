import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.fail;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

import com.sun.source.tree.ArrayAccessTree;
import com.sun.source.tree.AssignmentTree;
import com.sun.source.tree.ClassTree;
import com.sun.source.tree.CompoundAssignmentTree;
import com.sun.source.tree.ExpressionTree;
import com.sun.source.tree.IdentifierTree;
import com.sun.source.tree.LambdaExpressionTree;
import com.sun.source.tree.LiteralTree;
import com.sun.source.tree.MemberSelectTree;
import com.sun.source.tree.MethodInvocationTree;
import com.sun.source.tree.MethodTree;
import com.sun.source.tree.SynchronizedTree;
import com.sun.source.tree.Tree;
import com.sun.source.tree.UnaryTree;
import com.sun.source.tree.VariableTree;
import com.sun.source.util.TreeScanner;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for the exercises of lessons/01_threads.java. Tags name the exercise. */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ThreadsTest {

    // ---- 1.1 parallelSum ---------------------------------------------------------------

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // may watch a waiting caller for PATIENCE
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
                if (Thread.currentThread() != callerThread.get()) awaitQuietly(release);
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
            // Now the parts are blocked until we release them: the caller must wait for them, for as long as
            // they take. A sleep, or a join with a time limit whose result is ignored, returns while they run.
            if (returnsWhileHeld(caller)) {
                fail("parallelSum returned while its parts were still running (it returned %s): "
                        + "did you join every thread? A sleep or a timed join does not wait for a part that takes longer",
                        caller.describe());
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

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // may watch a waiting caller for PATIENCE
    @Tag("1.1")
    @DisplayName("1.1 waits for the part started first even when it finishes last")
    void parallelSumWaitsForTheFirstPartFinishingLast() throws Exception {
        int parts = 4;
        List<CountDownLatch> releases = new ArrayList<>();
        for (int part = 0; part < parts; part++) releases.add(new CountDownLatch(1));
        CountDownLatch allStarted = new CountDownLatch(parts);
        AtomicReferenceArray<Boolean> finished = new AtomicReferenceArray<>(parts);
        AtomicReferenceArray<Thread> threadOf = new AtomicReferenceArray<>(parts);
        Probe.Caller<Long> caller = Probe.call("test-caller", () -> Threads.parallelSum(parts, part -> {
            threadOf.set(part, Thread.currentThread());
            allStarted.countDown();
            awaitQuietly(releases.get(part));
            finished.set(part, true);
            return 1L << part;
        }));
        try {
            if (!Probe.eventually(() -> allStarted.getCount() == 0 || caller.returned())) {
                fail("only %d of %d parts were running at the same time after %d s: start every thread before you wait",
                        parts - allStarted.getCount(), parts, Probe.PATIENCE.toSeconds());
            }
            // The parts finish last-first: part 3, then 2, then 1 (each thread done, its result stored, before
            // the next is let go); part 0, started first, is still running.
            for (int part = parts - 1; part >= 1; part--) {
                int index = part;
                releases.get(index).countDown();
                Probe.eventually(() -> Boolean.TRUE.equals(finished.get(index)) && Probe.settled(threadOf.get(index))
                        || caller.returned());
            }
            if (returnsWhileHeld(caller)) {
                fail("parallelSum returned %s while part 0, started first, was still running (parts 3, 2 and 1 had "
                        + "finished): join every thread, not only the last one started or the first one to end",
                        caller.describe());
            }
        } finally {
            releases.forEach(CountDownLatch::countDown);
        }
        assertThat(caller.result()).as("the sum of parts worth 1, 2, 4 and 8").isEqualTo(15L);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // may watch a waiting caller for PATIENCE
    @Tag("1.1")
    @DisplayName("1.1 throws InterruptedException when interrupted while it waits")
    void parallelSumLetsAnInterruptOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch allStarted = new CountDownLatch(2);
        Probe.Caller<Long> caller = Probe.call("test-caller", () -> Threads.parallelSum(2, part -> {
            allStarted.countDown();
            awaitQuietly(release);
            return 1L;
        }));
        try {
            Probe.eventually(() -> (allStarted.getCount() == 0 && caller.waiting()) || caller.returned());
            if (caller.returned()) fail("parallelSum returned %s while its parts were running", caller.describe());
            caller.thread().interrupt(); // while it waits for the parts
            Probe.eventually(caller::returned);
        } finally {
            release.countDown();
        }
        Throwable thrown = outcome(caller);
        assertThat(thrown)
                .as("the caller was interrupted while parallelSum waited for its parts, and parallelSum %s: let the "
                        + "InterruptedException out (join throws it); catching it and carrying on hides the request to stop",
                        thrown == null ? "returned normally" : "threw " + thrown)
                .isInstanceOf(InterruptedException.class);
    }

    @Test
    @Tag("1.1")
    @DisplayName("1.1 adds the parts up without a race: no shared total updated by the threads")
    void parallelSumHasNoSharedTotal() throws Exception {
        // A lost update on a shared total happens only when two threads run the same few
        // instructions at once, which no test can force from partSum: the source shows it.
        Source source = Source.lesson();
        ClassTree threads = source.type("Threads").orElseThrow(() -> new AssertionError("no class Threads in the lesson"));
        for (MethodTree method : Source.methods(threads, "parallelSum")) {
            for (Tree update : sharedUpdates(method)) {
                fail("line %d: `%s` runs on the worker threads and updates one total that they all share. Two threads "
                        + "can read the same old total, and one part is lost (a read-modify-write is not atomic; the "
                        + "threads' writes race, JLS 17.4.5; lesson 03). Give each thread a slot of its own "
                        + "(results[index] = ...) and add the slots up after join, or use an AtomicLong or LongAdder",
                        source.line(update), source.text(update));
            }
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
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // may watch a waiting caller for PATIENCE
    @Tag("1.2")
    @DisplayName("1.2 waits for the task to finish before returning")
    void callOnNewThreadWaits() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean taskStarted = new AtomicBoolean();
        Probe.Caller<String> caller = Probe.call("test-caller", () -> Threads.callOnNewThread("slow-task", () -> {
            taskStarted.set(true);
            awaitQuietly(release); // longer than the test watches the caller
            return "done";
        }));
        try {
            Probe.eventually(() -> (taskStarted.get() && caller.waiting()) || caller.returned());
            // The task takes as long as it takes: a sleep, or a join with a time limit whose result is ignored,
            // returns before it ends.
            if (returnsWhileHeld(caller)) {
                fail("callOnNewThread returned %s before its task had finished: wait for the thread (join, or a "
                        + "future's get) for as long as the task takes, not for a fixed time", caller.describe());
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

        AssertionError error = new AssertionError("invariant broken");
        Throwable thrownError = catchThrowable(() -> Threads.callOnNewThread("failing-task", () -> {
            throw error;
        }));
        assertThat(thrownError)
                .as("the task threw an Error, AssertionError(\"invariant broken\"), and callOnNewThread %s: an Error "
                        + "is what the task threw too; catching only Exception on the thread lets it escape there",
                        thrownError == null ? "returned normally" : "threw " + thrownError)
                .isInstanceOf(ExecutionException.class);
        assertThat(thrownError.getCause()).as("the cause: the task's own AssertionError").isSameAs(error);
    }

    @Test
    @Timeout(value = 30, unit = TimeUnit.SECONDS) // may watch a waiting caller for PATIENCE
    @Tag("1.2")
    @DisplayName("1.2 throws InterruptedException when interrupted while it waits")
    void callOnNewThreadLetsAnInterruptOut() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch taskStarted = new CountDownLatch(1);
        Probe.Caller<String> caller = Probe.call("test-caller", () -> Threads.callOnNewThread("slow-task", () -> {
            taskStarted.countDown();
            awaitQuietly(release);
            return "done";
        }));
        try {
            Probe.eventually(() -> (taskStarted.getCount() == 0 && caller.waiting()) || caller.returned());
            if (caller.returned()) fail("callOnNewThread returned %s before its task had finished", caller.describe());
            caller.thread().interrupt(); // while it waits for the task
            Probe.eventually(caller::returned);
        } finally {
            release.countDown();
        }
        Throwable thrown = outcome(caller);
        assertThat(thrown)
                .as("the caller was interrupted while callOnNewThread waited for its task, and callOnNewThread %s: let "
                        + "the InterruptedException out (join and get throw it) instead of catching it and waiting on",
                        thrown == null ? "returned normally" : "threw " + thrown)
                .isInstanceOf(InterruptedException.class);
    }

    // ---- 1.3 fetchAll ----------------------------------------------------------------------

    @Test
    @Tag("1.3")
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    @DisplayName("1.3 has all 10,000 calls in flight at once, each on a virtual thread")
    void fetchAllRunsEveryCallAtOnceOnVirtualThreads() throws Exception {
        int count = 10_000;
        List<String> keys = new ArrayList<>(count);
        for (int i = 0; i < count; i++) keys.add("key-" + i);
        CountDownLatch allInFlight = new CountDownLatch(count);
        // Each call waits for the verdict, which comes when every call is in flight, or when no further call
        // has started for a while (calls made one at a time, or by a pool of a few threads, get stuck there).
        // Progress decides, not the clock: on a slow machine that is still starting calls, we keep waiting.
        CountDownLatch verdict = new CountDownLatch(1);
        AtomicReference<String> platformThread = new AtomicReference<>();

        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Threads.fetchAll(keys, key -> {
            Thread current = Thread.currentThread();
            if (!current.isVirtual()) platformThread.compareAndSet(null, current.getName());
            allInFlight.countDown();
            awaitQuietly(verdict);
            return key.toUpperCase();
        }));
        long stuckAt = -1;
        try {
            // Looks often (an answer that throws at once is seen at once), gives up only after PATIENCE without progress.
            long startedBefore = -1;
            long lastProgress = System.nanoTime();
            while (!allInFlight.await(50, TimeUnit.MILLISECONDS) && !caller.returned()) {
                long started = count - allInFlight.getCount();
                if (started != startedBefore) {
                    startedBefore = started;
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > Probe.PATIENCE.toNanos()) {
                    stuckAt = started;
                    break;
                }
            }
        } finally {
            verdict.countDown();
        }
        List<String> results = caller.future().get(60, TimeUnit.SECONDS);

        assertThat(platformThread.get())
                .as("a call ran on platform thread '%s': run every call on a virtual thread", platformThread.get())
                .isNull();
        assertThat(stuckAt)
                .as("only %d of %d calls were in flight at the same time, and no further call started within %d s: "
                        + "start every call before waiting for any", stuckAt, count, Probe.PATIENCE.toSeconds())
                .isEqualTo(-1);
        assertThat(results).as("the results, in the order of the keys").hasSize(count);
        for (int i = 0; i < count; i++) {
            assertThat(results.get(i)).as("result number %d", i).isEqualTo("KEY-" + i);
        }
    }

    @Test
    @Tag("1.3")
    @DisplayName("1.3 returns an empty list for no keys, and one result for one key")
    void fetchAllTakesNoKeysAndOneKey() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        AtomicReference<List<String>> none = new AtomicReference<>();
        Throwable thrown = catchThrowable(() -> none.set(Threads.fetchAll(List.of(), key -> {
            calls.incrementAndGet();
            return key;
        })));
        assertThat(thrown)
                .as("fetchAll threw %s for an empty list of keys: no keys is a valid input, whose answer is an empty "
                        + "list (a pool of keys.size() threads cannot be made for 0 keys)", thrown)
                .isNull();
        assertThat(none.get()).as("what fetchAll returned for an empty list of keys").isNotNull().isEmpty();
        assertThat(calls.get()).as("how many times fetch was called for no keys").isZero();
        assertThat(Threads.fetchAll(List.of("the only key"), key -> "value of " + key))
                .as("what fetchAll returned for one key").containsExactly("value of the only key");
    }

    @Test
    @Tag("1.3")
    @DisplayName("1.3 throws when a call throws, with the call's exception as the cause")
    void fetchAllReportsAFailedCall() {
        IllegalStateException failure = new IllegalStateException("k2 is unreachable");
        List<String> keys = List.of("k0", "k1", "k2", "k3", "k4");
        AtomicReference<List<String>> returned = new AtomicReference<>();
        Throwable thrown = catchThrowable(() -> returned.set(Threads.fetchAll(keys, key -> {
            if (key.equals("k2")) throw failure;
            return "value of " + key;
        })));
        assertThat(thrown)
                .as("fetch(\"k2\") threw IllegalStateException(\"k2 is unreachable\"), and fetchAll returned %s: a call "
                        + "that fails must make fetchAll throw, not leave a null (or nothing) in its place", returned.get())
                .isNotNull();
        List<Throwable> chain = new ArrayList<>();
        for (Throwable cause = thrown; cause != null && !chain.contains(cause); cause = cause.getCause()) chain.add(cause);
        assertThat(chain)
                .as("fetchAll threw %s; the call's own exception must be it or among its causes, so the caller learns "
                        + "why (ExecutionException's getCause() holds it)", thrown)
                .contains(failure);
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
        AtomicReferenceArray<Thread> threadOf = new AtomicReferenceArray<>(count);

        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Threads.fetchAll(keys, key -> {
            int index = Integer.parseInt(key.substring(1));
            threadOf.set(index, Thread.currentThread());
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
            // Let the calls finish last-first, one at a time: each thread done (its result stored) before the next.
            for (int i = count - 1; i >= 0; i--) {
                int index = i;
                releases.get(index).countDown();
                Probe.eventually(() -> Boolean.TRUE.equals(finished.get(index)) && Probe.settled(threadOf.get(index)));
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

    /**
     * While the test holds the work the caller waits for: true if the caller returns. We watch until it
     * returns, or until it blocks with no time limit (join(), get(): only the work can end that wait);
     * a caller that sleeps or waits with a time limit is watched for PATIENCE, longer than any such guess.
     */
    static boolean returnsWhileHeld(Probe.Caller<?> caller) {
        Probe.eventually(() -> caller.returned() || caller.thread().getState() == Thread.State.WAITING);
        return caller.returned();
    }

    /** Waits for a latch the test always opens in a finally block: longer than the test ever watches. */
    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(2, TimeUnit.MINUTES);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** What the call threw (null if it returned normally), once it has returned. */
    static Throwable outcome(Probe.Caller<?> caller) throws Exception {
        try {
            caller.result();
            return null;
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (TimeoutException e) {
            return fail("the call was interrupted, but %d s later it had still not returned (it is %s): "
                    + "does it catch InterruptedException and wait again?",
                    Probe.PATIENCE.toSeconds(), caller.thread().getState());
        }
    }

    /**
     * Updates in a method's lambdas and anonymous classes (the code its threads run) that read and write
     * state shared by every thread: `total[0] += v`, `sum++` or `total = total + v` on a field, or on an
     * array slot with a constant index, outside a synchronized block. A slot of each thread's own
     * (`results[index] = ...`), a local of the lambda, and atomics are fine.
     */
    static List<Tree> sharedUpdates(MethodTree method) {
        List<Tree> found = new ArrayList<>();
        new TreeScanner<Void, Void>() {
            int threadCode; // depth of lambdas and anonymous classes
            int locked;     // depth of synchronized blocks inside them, or 1 if they call lock()
            final Deque<Set<String>> locals = new ArrayDeque<>();

            @Override
            public Void visitLambdaExpression(LambdaExpressionTree lambda, Void unused) {
                return inThreadCode(lambda, () -> super.visitLambdaExpression(lambda, unused));
            }

            @Override
            public Void visitClass(ClassTree type, Void unused) {
                return inThreadCode(type, () -> super.visitClass(type, unused));
            }

            private Void inThreadCode(Tree code, Runnable scan) {
                int lockedOutside = locked;
                threadCode++;
                locked = callsLock(code) ? 1 : 0; // a Lock's lock() ... unlock() guards the update
                locals.push(new HashSet<>());
                scan.run();
                locals.pop();
                locked = lockedOutside;
                threadCode--;
                return null;
            }

            @Override
            public Void visitVariable(VariableTree variable, Void unused) {
                if (!locals.isEmpty()) locals.peek().add(variable.getName().toString());
                return super.visitVariable(variable, unused);
            }

            @Override
            public Void visitSynchronized(SynchronizedTree block, Void unused) {
                locked++;
                super.visitSynchronized(block, unused);
                locked--;
                return null;
            }

            @Override
            public Void visitCompoundAssignment(CompoundAssignmentTree update, Void unused) {
                check(update, update.getVariable());
                return super.visitCompoundAssignment(update, unused);
            }

            @Override
            public Void visitUnary(UnaryTree update, Void unused) {
                if (update.getKind().name().contains("CREMENT")) check(update, update.getExpression());
                return super.visitUnary(update, unused);
            }

            @Override
            public Void visitAssignment(AssignmentTree update, Void unused) {
                if (update.getExpression().toString().contains(update.getVariable().toString())) {
                    check(update, update.getVariable());
                }
                return super.visitAssignment(update, unused);
            }

            private void check(Tree update, ExpressionTree target) {
                if (threadCode == 0 || locked > 0) return;
                boolean shared = switch (target) {
                    case ArrayAccessTree slot -> slot.getIndex() instanceof LiteralTree && !local(slot.getExpression());
                    case IdentifierTree name -> !local(name);
                    case MemberSelectTree field -> !local(field.getExpression());
                    default -> false;
                };
                if (shared) found.add(update);
            }

            private static boolean callsLock(Tree code) {
                boolean[] found = {false};
                new TreeScanner<Void, Void>() {
                    @Override
                    public Void visitMethodInvocation(MethodInvocationTree call, Void unused) {
                        if (call.getMethodSelect().toString().matches(".*\\.(lock|lockInterruptibly|tryLock)")) found[0] = true;
                        return super.visitMethodInvocation(call, unused);
                    }
                }.scan(code, null);
                return found[0];
            }

            /** Whether an expression starts at a variable that the thread code declared itself. */
            private boolean local(ExpressionTree expression) {
                return switch (expression) {
                    case IdentifierTree name -> locals.stream().anyMatch(names -> names.contains(name.getName().toString()));
                    case MemberSelectTree select -> local(select.getExpression());
                    case ArrayAccessTree slot -> local(slot.getExpression());
                    default -> false;
                };
            }
        }.scan(method.getBody(), null);
        return found;
    }
}
