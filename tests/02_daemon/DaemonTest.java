import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Tests for the exercises of lessons/02_daemon.java. Tags name the exercise. */
@Timeout(value = 45, unit = TimeUnit.SECONDS)
class DaemonTest {

    /** How long a child JVM may take to start and get ready, on a heavily loaded machine. */
    static final Duration READY_LIMIT = Duration.ofSeconds(15);
    /** How long a child JVM may take to exit once its main returned (or it was signalled). */
    static final Duration EXIT_LIMIT = Duration.ofSeconds(10);
    /** How long a whole child JVM run may take, start-up included. */
    static final Duration CHILD_LIMIT = READY_LIMIT.plus(EXIT_LIMIT);

    // ---- 2.1 startHeartbeat ------------------------------------------------------------

    @Test
    @Tag("2.1")
    @DisplayName("2.1 beats on a started daemon thread named heartbeat, and ends when interrupted")
    void heartbeatBeatsOnADaemonThreadAndStopsOnInterrupt() throws Exception {
        CountDownLatch threeBeats = new CountDownLatch(3);
        List<Thread> beatThreads = new CopyOnWriteArrayList<>();
        Thread heartbeat = Daemon.startHeartbeat(Duration.ofMillis(10), () -> {
            beatThreads.add(Thread.currentThread());
            threeBeats.countDown();
        });
        try {
            assertThat(heartbeat).as("startHeartbeat must return the heartbeat thread, not null").isNotNull();
            assertThat(heartbeat.getState())
                    .as("the thread startHeartbeat returned was never started: call start() (or use the builder's start)")
                    .isNotEqualTo(Thread.State.NEW);
            assertThat(heartbeat.isDaemon())
                    .as("the heartbeat thread is not a daemon thread: it would keep the JVM alive after main returns")
                    .isTrue();
            assertThat(heartbeat.getName()).as("the heartbeat thread's name").isEqualTo("heartbeat");
            if (!threeBeats.await(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("only %d beats in %d s with an interval of 10 ms: does the thread call beat.run() in a loop?",
                        3 - threeBeats.getCount(), Probe.PATIENCE.toSeconds());
            }
            assertThat(beatThreads.getFirst())
                    .as("the beats ran on thread '%s', not on the thread startHeartbeat returned",
                            beatThreads.getFirst().getName())
                    .isSameAs(heartbeat);
            heartbeat.interrupt();
            if (!heartbeat.join(Probe.PATIENCE)) {
                fail("the heartbeat was still %s %d s after interrupt(): does it swallow InterruptedException "
                        + "and keep going?", heartbeat.getState(), Probe.PATIENCE.toSeconds());
            }
        } finally {
            if (heartbeat != null) heartbeat.interrupt();
        }
    }

    @Test
    @Tag("2.1")
    @DisplayName("2.1 beats every 100 ms, never sooner, and rests between beats")
    void heartbeatKeepsItsInterval() throws Exception {
        Duration interval = Duration.ofMillis(100); // under a second: 0 whole seconds
        int wanted = 4;
        long[] beatNanos = new long[wanted];
        AtomicInteger beats = new AtomicInteger();
        CountDownLatch enough = new CountDownLatch(wanted);
        long start = System.nanoTime();
        Thread heartbeat = Daemon.startHeartbeat(interval, () -> {
            int beat = beats.getAndIncrement();
            if (beat < wanted) {
                beatNanos[beat] = System.nanoTime();
                enough.countDown();
            }
        });
        try {
            assertThat(heartbeat).as("startHeartbeat must return the heartbeat thread, not null").isNotNull();
            if (!enough.await(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS)) {
                fail("only %d beats in %d s with an interval of 100 ms: is the interval read in the right unit "
                        + "(interval.toMillis() milliseconds, not seconds)?", beats.get(), Probe.PATIENCE.toSeconds());
            }
            for (int beat = 1; beat < wanted; beat++) {
                double millis = (beatNanos[beat] - start) / 1e6;
                if (millis < beat * interval.toMillis() - 1) {
                    fail("beat number %d came %.1f ms after startHeartbeat was called, sooner than %d ms (the first "
                            + "beat at once, then one every 100 ms): wait the whole interval between beats. Is it read "
                            + "in the right unit? (interval.toSeconds() is 0 for 100 ms; a sleep in nanoseconds is not "
                            + "one in milliseconds)", beat + 1, millis, beat * interval.toMillis());
                }
            }
            // Between beats the thread has nothing to do: it must rest (sleep, or wait for the next beat),
            // not spin on the clock and burn a core.
            if (!Probe.eventually(() -> rests(heartbeat) || !heartbeat.isAlive())) {
                fail("the heartbeat thread was %s all the time for %d s (with beats 100 ms apart): it never rested "
                        + "between beats. A loop that checks the clock until the next beat is due keeps a core busy: "
                        + "sleep for the interval instead", heartbeat.getState(), Probe.PATIENCE.toSeconds());
            }
        } finally {
            if (heartbeat != null) heartbeat.interrupt();
        }
    }

    @Test
    @Tag("2.1")
    @DisplayName("2.1 beats at once, even with an interval of an hour, and an interrupt ends the wait")
    void heartbeatBeatsAtOnceAndStopsDuringALongWait() throws Exception {
        AtomicInteger beats = new AtomicInteger();
        CountDownLatch firstBeat = new CountDownLatch(1);
        Thread heartbeat = Daemon.startHeartbeat(Duration.ofHours(1), () -> {
            beats.incrementAndGet();
            firstBeat.countDown();
        });
        try {
            assertThat(heartbeat).as("startHeartbeat must return the heartbeat thread, not null").isNotNull();
            if (!Probe.await(firstBeat)) {
                fail("no beat within %d s of startHeartbeat, with an interval of one hour: the first beat must come "
                        + "at once, and only then the wait. Does the loop sleep before it beats?", Probe.PATIENCE.toSeconds());
            }
            Probe.eventually(() -> rests(heartbeat) || !heartbeat.isAlive());
            heartbeat.interrupt(); // in the middle of an hour's wait
            if (!heartbeat.join(Probe.PATIENCE)) {
                fail("the heartbeat was still %s %d s after interrupt() during its one-hour wait: the interrupt must "
                        + "end the wait and the thread", heartbeat.getState(), Probe.PATIENCE.toSeconds());
            }
            assertThat(beats.get())
                    .as("the beats in the few seconds of this test, with an interval of one hour (one at once, then "
                            + "none for an hour): is the interval read in the right unit?")
                    .isEqualTo(1);
        } finally {
            if (heartbeat != null) heartbeat.interrupt();
        }
    }

    @Test
    @Tag("2.1")
    @DisplayName("2.1 never keeps the JVM alive: a child JVM whose main returns exits at once")
    void heartbeatDoesNotKeepTheJvmAlive(@TempDir Path dir) throws Exception {
        Path returning = dir.resolve("main-returns");
        try (Child child = Child.start(dir, HeartbeatChild.class, returning.toString())) {
            if (!child.awaitFile(returning)) {
                fail("the child JVM, whose main starts a heartbeat and returns after 3 beats, never got that far "
                        + "within %d s; it printed:%n%s", READY_LIMIT.toSeconds(), child.printed());
            }
            String said = Files.readString(returning);
            if (said.startsWith("startHeartbeat threw")) fail("in the child JVM, %s", said);
            if (!child.awaitExit(EXIT_LIMIT)) {
                fail("the child JVM's main returned, but the JVM was still running %d s later: "
                        + "the heartbeat thread keeps it alive. Is it a daemon thread? The child printed:%n%s",
                        EXIT_LIMIT.toSeconds(), child.printed());
            }
            assertThat(child.process().exitValue())
                    .as("the child JVM's exit code; it printed:%n%s", child.printed()).isZero();
        }
    }

    // ---- 2.2 workUntilInterrupted ------------------------------------------------------

    @Test
    @Tag("2.2")
    @DisplayName("2.2 handles the item it took as the interrupt came, then stops, the flag still set")
    void workerFinishesTheItemTakenWhenInterrupted() throws Exception {
        // The inbox interrupts the taker just as it hands out item-3, as if interrupt()
        // had been called at that very moment.
        InterruptingInbox inbox = new InterruptingInbox("item-3");
        for (int i = 1; i <= 10; i++) inbox.add("item-" + i);
        List<String> handled = new CopyOnWriteArrayList<>();
        List<Thread> handlerThreads = new CopyOnWriteArrayList<>();
        AtomicBoolean flagOnReturn = new AtomicBoolean();
        Probe.Caller<Integer> caller = Probe.call("test-worker", () -> {
            int count = Daemon.workUntilInterrupted(inbox, item -> {
                handlerThreads.add(Thread.currentThread());
                handled.add(item);
            });
            flagOnReturn.set(Thread.currentThread().isInterrupted());
            return count;
        });
        int count = resultOf(caller, "the worker was interrupted as it took item-3", handled);
        for (Thread thread : handlerThreads) {
            assertThat(thread)
                    .as("an item was handled on %s: handle every item on the calling thread, where the interrupt "
                            + "arrives (on another thread, it cannot tell the item in hand to finish)", thread)
                    .isSameAs(caller.thread());
        }

        assertThat(handled)
                .as("the items handled; item-3 was taken when the interrupt came, so it must be handled, "
                        + "and nothing after it (is an item lost, or is the interrupt ignored?)")
                .containsExactly("item-1", "item-2", "item-3");
        assertThat(List.copyOf(inbox))
                .as("the items left in the inbox: no new item may be taken after the interrupt")
                .containsExactly("item-4", "item-5", "item-6", "item-7", "item-8", "item-9", "item-10");
        assertThat(count).as("what workUntilInterrupted returned (the number of items handled)").isEqualTo(3);
        assertThat(flagOnReturn.get())
                .as("the interrupt flag when workUntilInterrupted returned: it must still be set. "
                        + "Catching InterruptedException (or calling Thread.interrupted()) clears it: set it again")
                .isTrue();
    }

    @Test
    @Tag("2.2")
    @DisplayName("2.2 an interrupt while an item is handled: finishes it, takes no more")
    void workerFinishesTheItemInHand() throws Exception {
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        for (int i = 1; i <= 6; i++) inbox.add("item-" + i);
        List<String> handled = new CopyOnWriteArrayList<>();
        CountDownLatch inHand = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean flagOnReturn = new AtomicBoolean();
        Probe.Caller<Integer> caller = Probe.call("test-worker", () -> {
            int count = Daemon.workUntilInterrupted(inbox, item -> {
                if (item.equals("item-2")) {
                    inHand.countDown();
                    awaitIgnoringInterrupts(release); // a step that must not be cut short
                }
                handled.add(item);
            });
            flagOnReturn.set(Thread.currentThread().isInterrupted());
            return count;
        });
        try {
            Probe.eventually(() -> inHand.getCount() == 0 || caller.returned());
            if (inHand.getCount() > 0) {
                fail("item-2 never reached the handler within %d s; handled so far: %s%s", Probe.PATIENCE.toSeconds(),
                        handled, caller.returned() ? "; workUntilInterrupted returned " + caller.describe() : "");
            }
            caller.thread().interrupt(); // while item-2 is in hand
        } finally {
            release.countDown();
        }
        int count = resultOf(caller, "the worker was interrupted while it handled item-2", handled);

        assertThat(handled)
                .as("the items handled; the interrupt came while item-2 was in hand")
                .containsExactly("item-1", "item-2");
        assertThat(List.copyOf(inbox))
                .as("the items left in the inbox: no new item may be taken after the interrupt")
                .containsExactly("item-3", "item-4", "item-5", "item-6");
        assertThat(count).as("what workUntilInterrupted returned").isEqualTo(2);
        assertThat(flagOnReturn.get()).as("the interrupt flag when workUntilInterrupted returned").isTrue();
    }

    @Test
    @Tag("2.2")
    @DisplayName("2.2 waits for items while the inbox is empty, and stops when interrupted while waiting")
    void workerWaitsForItemsAndStopsOnInterrupt() throws Exception {
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        List<String> handled = new CopyOnWriteArrayList<>();
        AtomicBoolean flagOnReturn = new AtomicBoolean();
        Probe.Caller<Integer> caller = Probe.call("test-worker", () -> {
            int count = Daemon.workUntilInterrupted(inbox, handled::add);
            flagOnReturn.set(Thread.currentThread().isInterrupted());
            return count;
        });
        Probe.eventually(() -> caller.waiting() || caller.returned());
        inbox.add("late-1");
        Probe.eventually(() -> (handled.contains("late-1") && caller.waiting()) || caller.returned());
        if (caller.returned()) {
            fail("workUntilInterrupted returned %s without being interrupted, having handled %s: "
                    + "while the inbox is empty it must wait for the next item (take), not stop",
                    caller.describe(), handled);
        }
        if (!handled.contains("late-1")) {
            fail("an item put into the inbox while the worker waited was not handled within %d s",
                    Probe.PATIENCE.toSeconds());
        }
        caller.thread().interrupt(); // while it waits for the next item
        int count = resultOf(caller, "the worker was interrupted while it waited on an empty inbox", handled);
        assertThat(handled).as("the items handled").containsExactly("late-1");
        assertThat(count).as("what workUntilInterrupted returned").isEqualTo(1);
        assertThat(flagOnReturn.get())
                .as("the interrupt flag when workUntilInterrupted returned: take() threw InterruptedException, "
                        + "which cleared it; set it again with Thread.currentThread().interrupt()")
                .isTrue();
    }

    @Test
    @Tag("2.2")
    @DisplayName("2.2 hands the handler items only, never the null of a timed poll that ran out")
    void workerNeverHandsOnNull() throws Exception {
        // This inbox's timed poll runs out at once when it is empty, as it would after its whole timeout.
        TimingOutInbox inbox = new TimingOutInbox();
        List<String> handled = new CopyOnWriteArrayList<>();
        Probe.Caller<Integer> caller = Probe.call("test-worker", () -> Daemon.workUntilInterrupted(inbox, handled::add));
        Probe.eventually(() -> caller.waiting() || inbox.timedOut.get() >= 3 || caller.returned());
        if (caller.returned()) {
            fail("workUntilInterrupted returned %s on an empty inbox without being interrupted: wait for the next item",
                    caller.describe());
        }
        inbox.add("late-1");
        Probe.eventually(() -> handled.contains("late-1") || caller.returned());
        caller.thread().interrupt();
        int count = resultOf(caller, "the worker was interrupted while it waited on an empty inbox", handled);
        assertThat(handled)
                .as("the items the handler got; the inbox was empty for a while, then got late-1. A null means a "
                        + "poll(timeout) that ran out (it returns null) was handed on: check for null, or use take()")
                .containsExactly("late-1");
        assertThat(count).as("what workUntilInterrupted returned").isEqualTo(1);
    }

    // ---- 2.3 saveOnExit ----------------------------------------------------------------

    @Test
    @Tag("2.3")
    @DisplayName("2.3 saves the state as it is at exit when main returns")
    void savesWhenMainReturns(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("saved state.txt"); // no such file yet
        Jvm.Result child = Jvm.run(CHILD_LIMIT, SaveOnExitChild.class, file.toString(), "return");
        assertChildSaved(child, file, 0, "main returned");
    }

    @Test
    @Tag("2.3")
    @DisplayName("2.3 saves the state as it is at exit on System.exit, replacing a longer file")
    void savesOnSystemExit(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("saved state.txt");
        Files.writeString(file, SaveOnExitChild.OLD_STATE); // a longer file from an earlier run
        Jvm.Result child = Jvm.run(CHILD_LIMIT, SaveOnExitChild.class, file.toString(), "exit");
        assertChildSaved(child, file, 7, "main called System.exit(7)");
    }

    @Test
    @Tag("2.3")
    @DisplayName("2.3 saves the state as it is at exit on SIGTERM, replacing a longer file")
    void savesOnSigterm(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("saved state.txt");
        Files.writeString(file, SaveOnExitChild.OLD_STATE); // a longer file from an earlier run
        Path ready = dir.resolve("ready");
        try (Child child = Child.start(dir, SaveOnExitChild.class, file.toString(), "sigterm", ready.toString())) {
            if (!child.awaitFile(ready)) {
                fail("the child JVM was not ready after %d s (exit code %s); it printed:%n%s", READY_LIMIT.toSeconds(),
                        child.process().isAlive() ? "none yet" : child.process().exitValue(), child.printed());
            }
            child.process().destroy(); // SIGTERM
            if (!child.awaitExit(EXIT_LIMIT)) {
                fail("the child JVM was still running %d s after SIGTERM; it printed:%n%s", EXIT_LIMIT.toSeconds(),
                        child.printed());
            }
            assertThat(child.process().exitValue())
                    .as("the exit code after SIGTERM (128 + 15); the child printed:%n%s", child.printed())
                    .isEqualTo(143);
            assertSaved(file, child.printed(), "the JVM got SIGTERM");
        }
    }

    // ---- helpers -----------------------------------------------------------------------

    static void assertChildSaved(Jvm.Result child, Path file, int exitCode, String how) throws Exception {
        if (child.timedOut()) {
            fail("the child JVM was still running after %d s (%s); it printed:%n%s",
                    CHILD_LIMIT.toSeconds(), how, child.output());
        }
        assertThat(child.exitCode()).as("the child JVM's exit code (%s); it printed:%n%s", how, child.output())
                .isEqualTo(exitCode);
        assertSaved(file, child.output(), how);
    }

    static void assertSaved(Path file, String printed, String how) throws Exception {
        assertThat(printed)
                .as("saveOnExit wrote the file at once, before shutdown; the child printed:%n%s", printed)
                .doesNotContain(SaveOnExitChild.WROTE_EARLY);
        if (!Files.exists(file)) {
            fail("after %s, no file was saved: was a shutdown hook registered (an unstarted thread, "
                    + "given to Runtime.getRuntime().addShutdownHook)? The child printed:%n%s", how, printed);
        }
        String expected = SaveOnExitChild.stateText(SaveOnExitChild.FINAL_ENTRIES);
        String saved = Files.readString(file, StandardCharsets.UTF_8);
        if (saved.startsWith(SaveOnExitChild.OLD_STATE)) {
            fail("after %s, the file begins with what it held before (%,d characters from an earlier run), then %,d "
                    + "more: the state was appended, not written in place of the old file. Replace it (Files.writeString "
                    + "with no options truncates the file)", how, SaveOnExitChild.OLD_STATE.length(),
                    saved.length() - SaveOnExitChild.OLD_STATE.length());
        }
        if (saved.startsWith(expected) && saved.length() > expected.length()) {
            fail("after %s, the file holds the state (%,d characters) followed by %,d characters of the longer file "
                    + "that was there before: the file was written over but not truncated. Replace it (Files.writeString "
                    + "with no options, or TRUNCATE_EXISTING)", how, expected.length(), saved.length() - expected.length());
        }
        if (saved.equals(SaveOnExitChild.stateText(0))) {
            fail("after %s, the file holds the state as it was when saveOnExit was called (0 entries), "
                    + "not at exit (%,d entries): call state.get() inside the hook", how, SaveOnExitChild.FINAL_ENTRIES);
        }
        if (expected.startsWith(saved) && saved.length() < expected.length()) {
            fail("after %s, the file holds only the first %,d of %,d characters: was the file flushed and closed "
                    + "before the hook ended?", how, saved.length(), expected.length());
        }
        assertThat(saved.equals(expected))
                .as("after %s, the file holds %,d characters, not the %,d of the state at exit; it begins: %s",
                        how, saved.length(), expected.length(), saved.substring(0, Math.min(60, saved.length())))
                .isTrue();
    }

    /** A child JVM whose output goes to a file; closing it ends the process, whatever happened. */
    record Child(Process process, Path output) implements AutoCloseable {

        static Child start(Path dir, Class<?> main, String... args) throws java.io.IOException {
            Path output = dir.resolve(main.getSimpleName() + ".out");
            Process process = new ProcessBuilder(Jvm.command(main, args))
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            return new Child(process, output);
        }

        /** Waits until the child made {@code marker}, or ended; false if it did not make it in time. */
        boolean awaitFile(Path marker) {
            try {
                org.awaitility.Awaitility.await().atMost(READY_LIMIT).pollInterval(Duration.ofMillis(5))
                        .until(() -> Files.exists(marker) || !process.isAlive());
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                return false;
            }
            return Files.exists(marker);
        }

        boolean awaitExit(Duration limit) throws InterruptedException {
            return process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        String printed() throws java.io.IOException {
            return Files.exists(output) ? Files.readString(output) : "";
        }

        @Override
        public void close() throws InterruptedException {
            Jvm.end(process);
        }
    }

    /** Whether a thread rests: parked, sleeping or waiting, not running. */
    static boolean rests(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.TIMED_WAITING || state == Thread.State.WAITING;
    }

    /** The worker's result, or a failure that says what it did instead of returning. */
    static int resultOf(Probe.Caller<Integer> caller, String situation, List<String> handled) throws Exception {
        try {
            return caller.result();
        } catch (TimeoutException e) {
            fail("%s, but %d s later workUntilInterrupted had not returned (it is %s, having handled %s): "
                    + "is the InterruptedException swallowed, or the flag never checked?",
                    situation, Probe.PATIENCE.toSeconds(), caller.thread().getState(), handled);
            return -1;
        }
    }

    static void awaitIgnoringInterrupts(CountDownLatch latch) {
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    latch.await(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
                    return;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
        } finally {
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** A queue whose timed poll, when it is empty, runs out at once and returns null. */
    static final class TimingOutInbox extends LinkedBlockingQueue<String> {
        final AtomicInteger timedOut = new AtomicInteger();

        @Override
        public String poll(long timeout, TimeUnit unit) throws InterruptedException {
            if (Thread.interrupted()) throw new InterruptedException();
            String item = super.poll();
            if (item == null) timedOut.incrementAndGet();
            return item;
        }
    }

    /** A queue that interrupts whoever takes {@code trigger}, just as it is handed out. */
    static final class InterruptingInbox extends LinkedBlockingQueue<String> {
        private final String trigger;

        InterruptingInbox(String trigger) {
            this.trigger = trigger;
        }

        private String handOut(String item) {
            if (trigger.equals(item)) Thread.currentThread().interrupt();
            return item;
        }

        @Override
        public String take() throws InterruptedException {
            return handOut(super.take());
        }

        @Override
        public String poll(long timeout, TimeUnit unit) throws InterruptedException {
            return handOut(super.poll(timeout, unit));
        }

        @Override
        public String poll() {
            return handOut(super.poll());
        }

        @Override
        public String remove() {
            return handOut(super.remove());
        }
    }
}

/**
 * A child JVM's main for 2.1: starts the learner's heartbeat, waits for 3 beats, makes the
 * file named by its argument (so the test knows), and returns.
 */
class HeartbeatChild {
    static void main(String[] args) throws Exception {
        CountDownLatch threeBeats = new CountDownLatch(3);
        AtomicInteger beats = new AtomicInteger();
        try {
            Daemon.startHeartbeat(Duration.ofMillis(10), () -> {
                beats.incrementAndGet();
                threeBeats.countDown();
            });
        } catch (RuntimeException e) {
            Files.writeString(Path.of(args[0]), "startHeartbeat threw " + e); // the test fails at once
            throw e;
        }
        if (!threeBeats.await(5, TimeUnit.SECONDS)) System.out.println("only " + beats.get() + " beats in 5 s");
        System.out.println("main returns after " + beats.get() + " beats");
        Files.writeString(Path.of(args[0]), "main returns");
    }
}

/**
 * A child JVM's main for 2.3: registers the learner's saveOnExit, then changes the state
 * (so only a state read at exit is complete), and ends as its second argument says.
 */
class SaveOnExitChild {
    static final int FINAL_ENTRIES = 2_000;
    static final String WROTE_EARLY = "saveOnExit wrote the file at once";
    /** What an earlier run left in the file: longer than the state, so a file not truncated shows. */
    static final String OLD_STATE = stateText(3_000).replace("saved", "from the run before");

    /** About 25,000 characters: more than any writer's buffer, so an unflushed write shows. */
    static String stateText(int entries) {
        StringBuilder text = new StringBuilder("entries: " + entries + "\n");
        for (int i = 0; i < entries; i++) text.append("entry ").append(i).append(" saved\n");
        return text.toString();
    }

    static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        AtomicInteger entries = new AtomicInteger();
        String before = Files.exists(file) ? Files.readString(file) : null;
        Daemon.saveOnExit(file, () -> stateText(entries.get()));
        String after = Files.exists(file) ? Files.readString(file) : null;
        if (!java.util.Objects.equals(before, after)) System.out.println(WROTE_EARLY);
        for (int i = 0; i < FINAL_ENTRIES; i++) entries.incrementAndGet();
        switch (args[1]) {
            case "exit" -> System.exit(7);
            case "sigterm" -> {
                Files.writeString(Path.of(args[2]), "ready");
                Thread.sleep(Duration.ofSeconds(30)); // until the test sends SIGTERM
                System.out.println("no SIGTERM came within 30 s");
            }
            default -> { } // "return"
        }
    }
}
