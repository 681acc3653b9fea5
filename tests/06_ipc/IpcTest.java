import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for the exercises of lessons/06_ipc.java. Tags name the exercise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class IpcTest {

    // ---- 6.1 workQueue -------------------------------------------------------------------

    /**
     * Runs the learner's workQueue and watches it: every thread it makes comes from our
     * factory, and each producer's first step waits at a start gate until every other
     * thread it made is started and parked (or ended), so producers and consumers overlap
     * and a consumer that quits on an empty queue quits before any item exists.
     */
    static final class WorkQueueRig {
        final List<List<String>> items = new ArrayList<>();
        final int consumers;
        final List<Thread> made = new CopyOnWriteArrayList<>();
        final Set<Thread> producerThreads = ConcurrentHashMap.newKeySet();
        final AtomicBoolean gateOpen = new AtomicBoolean();
        final AtomicInteger produced = new AtomicInteger();
        final ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();

        /** Producer `slowProducer` waits at the slow gate before taking its item number `slowAt`. */
        int slowProducer = -1, slowAt = -1;
        final AtomicReference<String> quitEarly = new AtomicReference<>();

        WorkQueueRig(int consumers, int... sizes) {
            this.consumers = consumers;
            for (int p = 0; p < sizes.length; p++) {
                List<String> mine = new ArrayList<>();
                for (int n = 0; n < sizes[p]; n++) mine.add("p" + p + "-item-" + n);
                items.add(mine);
            }
        }

        WorkQueueRig(int consumers, List<List<String>> items) {
            this.consumers = consumers;
            this.items.addAll(items);
        }

        int total() {
            return items.stream().mapToInt(List::size).sum();
        }

        final ThreadFactory factory = task -> {
            Thread thread = new Thread(task, "worker-" + (made.size() + 1));
            thread.setDaemon(true);
            made.add(thread);
            return thread;
        };

        List<Iterable<String>> sources() {
            List<Iterable<String>> sources = new ArrayList<>();
            for (int p = 0; p < items.size(); p++) {
                List<String> list = items.get(p);
                boolean slow = p == slowProducer;
                sources.add(() -> new Iterator<>() {
                int next;

                @Override
                public boolean hasNext() {
                    startGate();
                    return next < list.size();
                }

                @Override
                public String next() {
                    startGate();
                    if (next >= list.size()) throw new NoSuchElementException();
                    if (slow && next == slowAt) slowGate();
                    produced.incrementAndGet();
                    return list.get(next++);
                }
            });
            }
            return sources;
        }

        /**
         * A producer slower than any consumer's patience: its next item comes only once every
         * other producer has ended and every consumer is parked and has either no timeout
         * (WAITING: in take()) or has come back from at least one timed wait that found
         * nothing and parked again (its JVM "waited count" went up): a poll(timeout) that
         * returned null. A consumer that ends meanwhile quit while work was still coming.
         * After 20 s the item comes anyway (a timeout that long cannot be waited out here).
         */
        void slowGate() {
            Thread me = Thread.currentThread();
            long giveUp = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
            Map<Thread, Long> waitsWhenFirstSeen = new java.util.HashMap<>();
            while (System.nanoTime() < giveUp) {
                boolean othersDone = producerThreads.stream()
                        .allMatch(producer -> producer == me || producer.getState() == Thread.State.TERMINATED);
                boolean consumersPatient = othersDone;
                for (Thread consumer : made) {
                    if (producerThreads.contains(consumer)) continue;
                    Thread.State state = consumer.getState();
                    if (state == Thread.State.TERMINATED) {
                        quitEarly.compareAndSet(null, String.format("consumer %s ended while a producer was still at "
                                + "work (its next item was slow to come, %,d of %,d items had been handled): does a "
                                + "consumer stop when the queue is empty, or when poll(timeout) returns null? That "
                                + "only means 'nothing yet'; only the 'stop' message means 'nothing ever'",
                                consumer.getName(), handled.size(), total()));
                        return;
                    }
                    if (!othersDone || state == Thread.State.WAITING) continue;
                    if (state != Thread.State.TIMED_WAITING) {
                        consumersPatient = false;
                        continue;
                    }
                    var info = threads.getThreadInfo(consumer.threadId());
                    if (info == null) continue;
                    long waits = info.getWaitedCount();
                    Long first = waitsWhenFirstSeen.putIfAbsent(consumer, waits);
                    if (first == null || waits < first + 1) consumersPatient = false;
                }
                if (consumersPatient) return;
                java.util.concurrent.locks.LockSupport.parkNanos(1_000_000); // polling, not ordering
            }
        }

        void startGate() {
            if (gateOpen.get()) return;
            producerThreads.add(Thread.currentThread());
            Probe.eventually(() -> gateOpen.get() || producerThreads.size() == items.size()
                    && made.size() == items.size() + consumers
                    && made.stream().filter(thread -> !producerThreads.contains(thread)).allMatch(IpcTest::parkedOrEnded));
            gateOpen.set(true); // on time, or out of patience: from now on nobody waits here
        }

        /** Runs workQueue on a thread of its own; fails if it does not return in time. */
        void runAndAwait(int capacity, Consumer<String> handle) throws Exception {
            runAndAwait(capacity, handle, Probe.PATIENCE);
        }

        void runAndAwait(int capacity, Consumer<String> handle, Duration patience) throws Exception {
            Probe.Caller<Void> caller = start(capacity, handle);
            try {
                awaitReturn(caller, patience);
            } finally {
                made.forEach(Thread::interrupt); // free whatever is stuck, if anything
            }
            caller.result();
        }

        Probe.Caller<Void> start(int capacity, Consumer<String> handle) {
            List<Iterable<String>> sources = sources();
            return Probe.call("test-caller", () -> {
                Ipc.workQueue(sources, consumers, capacity, handle, factory);
                return null;
            });
        }

        void awaitReturn(Probe.Caller<Void> caller) {
            awaitReturn(caller, Probe.PATIENCE);
        }

        void awaitReturn(Probe.Caller<Void> caller, Duration patience) {
            try {
                await().atMost(patience).pollInterval(Duration.ofMillis(2))
                        .until(() -> caller.returned() || quitEarly.get() != null);
                if (caller.returned()) return;
            } catch (ConditionTimeoutException e) {
                // described below
            }
            if (quitEarly.get() != null) fail(quitEarly.get());
            List<String> stuck = made.stream().filter(Thread::isAlive)
                    .map(thread -> thread.getName() + " " + thread.getState()).toList();
            fail("workQueue did not return within %d s; of the %d threads it made, these still run: %s; "
                    + "%,d of %,d items were handled. Does every consumer get its own 'stop' message, sent only "
                    + "after every producer has ended?", patience.toSeconds(), made.size(), stuck,
                    handled.size(), total());
        }
    }

    static boolean parkedOrEnded(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.TERMINATED;
    }

    @Test
    @Tag("6.1")
    @DisplayName("6.1 handles every item exactly once and ends every thread it started")
    void workQueueDeliversExactlyOnce() throws Exception {
        // Three producers with one item each and one with many: their work ends at very
        // different times. Then as many consumers as producers plus one.
        for (int[] shape : new int[][] {{3, 1, 1, 20_000, 1}, {5, 3_000, 3_000, 3_000, 3_000}}) {
            int consumers = shape[0];
            WorkQueueRig rig = new WorkQueueRig(consumers, java.util.Arrays.copyOfRange(shape, 1, shape.length));
            rig.runAndAwait(8, rig.handled::add);

            String what = String.format("with %d producers and %d consumers", rig.items.size(), consumers);
            assertThat(rig.made.size())
                    .as("threads made with `threads` %s: one per producer plus one per consumer", what)
                    .isEqualTo(rig.items.size() + consumers);
            Map<String, Long> counts = rig.handled.stream().collect(Collectors.groupingBy(Function.identity(),
                    LinkedHashMap::new, Collectors.counting()));
            List<String> twice = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
            List<String> missing = rig.items.stream().flatMap(List::stream).filter(item -> !counts.containsKey(item)).toList();
            if (!twice.isEmpty() || !missing.isEmpty() || rig.handled.size() != rig.total()) {
                fail("%s, %,d items were handled for %,d sent: %,d never handled (e.g. %s), %,d handled more than "
                        + "once (e.g. %s). Does a consumer stop before the queue is really finished, or read an item "
                        + "without removing it?", what, rig.handled.size(), rig.total(), missing.size(),
                        missing.stream().limit(3).toList(), twice.size(), twice.stream().limit(3).toList());
            }
            List<String> alive = rig.made.stream().filter(Thread::isAlive).map(Thread::getName).toList();
            assertThat(alive).as("threads still running after workQueue returned %s: join every thread you start",
                    what).isEmpty();
        }
    }

    @Test
    @Tag("6.1")
    @DisplayName("6.1 keeps at most `capacity` items waiting: producers block when the queue is full")
    void workQueueAppliesBackPressure() throws Exception {
        int consumers = 2, capacity = 4;
        WorkQueueRig rig = new WorkQueueRig(consumers, 200, 200, 200);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger inHandle = new AtomicInteger();
        Probe.Caller<Void> caller = rig.start(capacity, item -> {
            inHandle.incrementAndGet();
            try {
                release.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            rig.handled.add(item);
        });
        int expected = capacity + consumers + rig.items.size();
        try {
            // Every consumer is stuck in handle. Wait until nothing moves any more: the
            // producers are parked (or done) and have taken no new item for 300 ms.
            int[] last = {-1};
            try {
                await().atMost(Probe.PATIENCE).pollInterval(Duration.ofMillis(5)).during(Duration.ofMillis(300))
                        .until(() -> {
                            if (caller.returned()) return true; // at once (an exception, say): see below
                            int now = rig.produced.get();
                            boolean still = now == last[0];
                            last[0] = now;
                            return still && rig.gateOpen.get() && inHandle.get() == consumers
                                    && rig.producerThreads.stream().allMatch(IpcTest::parkedOrEnded);
                        });
                if (caller.returned()) {
                    caller.result(); // its own exception, e.g. not done yet
                    fail("workQueue returned while %d consumers were still handling an item: wait until every item "
                            + "is handled and every thread you started has ended", inHandle.get());
                }
            } catch (ConditionTimeoutException e) {
                if (caller.returned()) caller.result(); // an exception of its own, e.g. not done yet
                long ended = rig.made.stream().filter(thread -> !rig.producerThreads.contains(thread))
                        .filter(thread -> thread.getState() == Thread.State.TERMINATED).count();
                fail("only %d of %d consumers ever got an item to handle (%d of your other threads had already "
                        + "ended, %,d items were taken from the producers' sources) within %d s: does a consumer "
                        + "stop when it finds the queue empty? The producers may just be slow.",
                        inHandle.get(), consumers, ended, rig.produced.get(), Probe.PATIENCE.toSeconds());
            }
            assertThat(rig.produced.get())
                    .as("items the producers had taken from their sources while both consumers were stuck in handle; "
                            + "a bounded queue allows %d in the queue + 1 in each consumer's hands (%d) + 1 in each "
                            + "producer's waiting put (%d) = %d. Is your queue bounded to `capacity`?",
                            capacity, consumers, rig.items.size(), expected)
                    .isEqualTo(expected);
        } finally {
            release.countDown();
        }
        try {
            rig.awaitReturn(caller);
        } finally {
            rig.made.forEach(Thread::interrupt);
        }
        caller.result();
        assertThat(rig.handled).as("items handled once released").hasSize(rig.total());
    }

    @Test
    @Tag("6.1")
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    @DisplayName("6.1 a producer slower than any timeout: the consumers wait for its items, however long it takes")
    void workQueueWaitsForASlowProducer() throws Exception {
        WorkQueueRig rig = new WorkQueueRig(2, 40, 3);
        rig.slowProducer = 1;
        rig.slowAt = 1;
        rig.runAndAwait(4, rig.handled::add, Duration.ofSeconds(20).plus(Probe.PATIENCE)); // the slow gate's 20 s at most
        if (rig.quitEarly.get() != null) fail(rig.quitEarly.get());
        assertThat(rig.handled).as("items handled, with one producer slow").hasSize(rig.total());
        assertThat(rig.made.stream().filter(Thread::isAlive).map(Thread::getName).toList())
                .as("threads still running after workQueue returned").isEmpty();
    }

    /** Items that look like a 'stop' message: interned literals, as a caller's own code would pass them. */
    static final List<String> LOOK_LIKE_STOP = List.of("STOP", "stop", "", "POISON", "poison", "PILL", "pill",
            "DONE", "done", "END", "end", "EOF", "null", "no more work", "quit", "exit", "-1", "__STOP__", "SHUTDOWN");

    @Test
    @Tag("6.1")
    @DisplayName("6.1 items that look like a 'stop' message (\"STOP\", \"\", \"DONE\", ...) are handled like any other")
    void workQueueHandlesItemsThatLookLikeAStop() throws Exception {
        List<String> mixed = new ArrayList<>();
        for (String look : LOOK_LIKE_STOP) {
            mixed.add(look);
            mixed.add("after " + look);
        }
        WorkQueueRig rig = new WorkQueueRig(3, List.of(LOOK_LIKE_STOP, mixed));
        rig.runAndAwait(4, rig.handled::add);
        List<String> expected = new ArrayList<>(LOOK_LIKE_STOP);
        expected.addAll(mixed);
        List<String> missing = new ArrayList<>(expected);
        rig.handled.forEach(missing::remove);
        if (!missing.isEmpty()) {
            fail("%,d of %,d items were never handled: %s. Is your 'stop' message equal to an item a caller may "
                    + "send? Make one no item can be: `new String(...)`, compared with ==", missing.size(),
                    expected.size(), missing.stream().map(IpcTest::shorten).toList());
        }
        assertThat(rig.handled).as("items handled").hasSize(expected.size());
    }

    @Test
    @Tag("6.1")
    @DisplayName("6.1 empty input: no producer at all, or producers with nothing to send: returns, every thread ended")
    void workQueueWithNothingToDo() throws Exception {
        for (int producers : new int[] {0, 2}) {
            WorkQueueRig rig = new WorkQueueRig(2, new int[producers]);
            rig.runAndAwait(4, rig.handled::add);
            assertThat(rig.handled).as("items handled with %d producers of no items", producers).isEmpty();
            assertThat(rig.made.stream().filter(Thread::isAlive).map(Thread::getName).toList())
                    .as("threads still running after workQueue returned (%d producers of no items)", producers).isEmpty();
        }
    }

    // ---- 6.2 askChild and replyServer -----------------------------------------------------

    static final Pattern REPLY = Pattern.compile("pid (\\d+) read (\\d+) chars: (.*)", Pattern.DOTALL);

    @Test
    @Tag("6.2")
    @DisplayName("6.2 gets the child's reply to every request, in order, and ends the child")
    void askChildGetsEveryReplyInOrder() throws Exception {
        List<String> requests = new ArrayList<>(List.of("hello", "", "two\nlines\n", "tab\tand ünïcödé ✓ 🚀",
                "ab".repeat(150_000), "\n"));
        for (int i = 0; i < 200; i++) requests.add("request " + i);
        askAndCheck(requests, "is a message sitting in a buffer nobody flushed, or is one side waiting to read something "
                + "the other never sends? A single read() returns what has arrived so far, not a whole message: "
                + "readFully waits for all of it");
    }

    @Test
    @Tag("6.2")
    @DisplayName("6.2 four requests of a megabyte each: one reply per request, as each is sent")
    void askChildWithBigRequests() throws Exception {
        List<String> requests = new ArrayList<>();
        for (char letter : "wxyz".toCharArray()) requests.add(String.valueOf(letter).repeat(1 << 20));
        askAndCheck(requests, "does it send every request before reading any reply? The child's 1 MB replies fill the "
                + "socket's buffers, so the child stops reading until someone reads them, and both sides wait for each "
                + "other. Send a request, read its reply, then send the next. (Or does a read stop short of a whole "
                + "message? read() returns what has arrived so far; readFully waits for all of it)");
    }

    @Test
    @Tag("6.2")
    @DisplayName("6.2 empty input: no requests, no replies, and no child left running")
    void askChildWithNoRequests() throws Exception {
        askAndCheck(List.of(), "with nothing to send, it should still close the connection and end the child");
    }

    static void askAndCheck(List<String> requests, String ifStuck) throws Exception {
        Probe.Caller<List<String>> caller = Probe.call("test-caller", () -> Ipc.askChild(requests));
        List<String> replies;
        List<String> leftRunning;
        try {
            boolean returned;
            try {
                await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(5)).until(caller::returned);
                returned = true;
            } catch (ConditionTimeoutException e) {
                returned = false;
            }
            if (!returned) {
                fail("askChild did not return within 15 s, with %d requests to send: %s", requests.size(), ifStuck);
            }
            leftRunning = ProcessHandle.current().descendants().filter(ProcessHandle::isAlive)
                    .map(child -> "pid " + child.pid() + ": ..." + child.info().arguments()
                            .map(arguments -> String.join(" ",
                                    List.of(arguments).subList(Math.max(0, arguments.length - 3), arguments.length)))
                            .orElse("?")).toList();
            replies = caller.result();
        } finally {
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
        assertThat(leftRunning).as("processes still running when askChild returned: close the connection, then "
                + "wait for the child to end (and end it if it does not)").isEmpty();
        assertThat(replies).as("the number of replies, one per request").hasSize(requests.size());
        long childPid = -1;
        for (int i = 0; i < requests.size(); i++) {
            String request = requests.get(i), reply = replies.get(i);
            Matcher matcher = REPLY.matcher(reply == null ? "" : reply);
            if (!matcher.matches()) {
                fail("reply %d was %s, not one made by reply(request): does the child answer with reply(...)?",
                        i, shorten(reply));
            }
            long pid = Long.parseLong(matcher.group(1));
            if (pid == ProcessHandle.current().pid()) {
                fail("reply %d was made by this JVM itself (pid %d): let a child JVM answer", i, pid);
            }
            if (childPid == -1) childPid = pid;
            assertThat(pid).as("the pid in reply %d (all replies come from the one child)", i).isEqualTo(childPid);
            String expected = "pid " + pid + " read " + request.length() + " chars: " + request;
            if (!expected.equals(reply)) {
                fail("request %d was %s (%,d chars), but the reply was %s: it should be %s. Do messages survive "
                        + "your framing whatever they hold (newlines, non-ASCII, 300,000 chars), and do replies "
                        + "stay in the order of the requests?", i, shorten(request), request.length(),
                        shorten(reply), shorten(expected));
            }
        }
    }

    static String shorten(String text) {
        if (text == null) return "null";
        String shown = text.length() > 60 ? text.substring(0, 60) + "...(" + text.length() + " chars)" : text;
        return "\"" + shown.replace("\n", "\\n").replace("\t", "\\t") + "\"";
    }

    // ---- 6.3 appendLines ------------------------------------------------------------------

    static final int CHILDREN = 3, THREADS_PER_CHILD = 2, CALLS_PER_THREAD = 3_000, CRASHER_LINES = 5, CRASH_AT = 3;

    /**
     * A child JVM: says "ready", waits for "go", then calls appendLines on two threads at
     * once, one short call after another. As "crasher" it instead makes one call whose list
     * stops the JVM dead (Runtime.halt) when line CRASH_AT is asked for: a writer that
     * crashes mid-way.
     */
    static final class AppendChild {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            String name = args[1];
            System.out.println("ready");
            System.out.flush();
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
            if (name.equals("crasher")) {
                List<String> lines = linesOf(name, CRASHER_LINES);
                Ipc.appendLines(file, new java.util.AbstractList<>() {
                    @Override
                    public String get(int index) {
                        if (index == CRASH_AT) Runtime.getRuntime().halt(3);
                        return lines.get(index);
                    }

                    @Override
                    public int size() {
                        return lines.size();
                    }
                });
                System.out.println("the crasher did not crash");
                return;
            }
            List<Throwable> failures = new CopyOnWriteArrayList<>();
            List<Thread> threads = new ArrayList<>();
            for (int t = 0; t < THREADS_PER_CHILD; t++) {
                List<String> lines = linesOf(name + "-t" + t, CALLS_PER_THREAD);
                threads.add(Thread.ofPlatform().name(name + "-t" + t).start(() -> {
                    try {
                        for (String line : lines) Ipc.appendLines(file, List.of(line)); // many short calls
                    } catch (Throwable e) {
                        failures.add(e);
                    }
                }));
            }
            for (Thread thread : threads) thread.join();
            if (!failures.isEmpty()) {
                System.out.println("appendLines failed on thread of " + name + ": " + failures.get(0));
                System.out.flush();
                Runtime.getRuntime().halt(1);
            }
            System.out.println("done");
        }
    }

    static List<String> linesOf(String writer, int count) {
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < count; i++) lines.add(String.format("%s line %05d %s", writer, i, "=".repeat(24)));
        return lines;
    }

    static Process startChild(Class<?> main, List<StringBuffer> outputs, CountDownLatch ready, String... args)
            throws IOException {
        Process child = new ProcessBuilder(Jvm.command(main, args)).redirectErrorStream(true).start();
        StringBuffer output = new StringBuffer();
        outputs.add(output);
        Thread.ofPlatform().daemon().name("output-of-" + main.getSimpleName()).start(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    output.append(line).append('\n');
                    if (line.equals("ready")) ready.countDown();
                }
            } catch (IOException ignored) {
                // the child ended
            }
        });
        return child;
    }

    static void say(Process child, String word) throws IOException {
        OutputStream in = child.getOutputStream();
        in.write((word + "\n").getBytes(StandardCharsets.UTF_8));
        in.flush();
    }

    @Test
    @Tag("6.3")
    @Timeout(value = 90, unit = TimeUnit.SECONDS)
    @DisplayName("6.3 a writer crashes mid-call; then 3 JVMs x 2 threads x 3,000 one-line calls: every line whole, none lost")
    void appendLinesKeepsLinesWholeAcrossProcesses() throws Exception {
        Path folder = Files.createTempDirectory("ipc test, with spaces ");
        Path file = folder.resolve("shared log.txt");
        List<Process> children = new ArrayList<>();
        List<StringBuffer> outputs = new ArrayList<>();
        CountDownLatch ready = new CountDownLatch(CHILDREN + 1);
        try {
            // One call here first: an answer that throws (one not written yet, say) fails at once, not after
            // four JVMs have started.
            Ipc.appendLines(folder.resolve("a first call.txt"), List.of("one line"));
            Process crasher = startChild(AppendChild.class, outputs, ready, file.toString(), "crasher");
            children.add(crasher);
            for (int c = 1; c <= CHILDREN; c++) {
                children.add(startChild(AppendChild.class, outputs, ready, file.toString(), "c" + c));
            }
            if (!ready.await(30, TimeUnit.SECONDS)) fail("the child JVMs did not start within 30 s: %s", outputs);
            say(crasher, "go");
            if (!crasher.waitFor(20, TimeUnit.SECONDS) || crasher.exitValue() != 3) {
                fail("the child that should crash in the middle of its appendLines call (when line %d of %d was asked "
                        + "for) did not end that way within 20 s: is a lock never released? It printed: %s",
                        CRASH_AT + 1, CRASHER_LINES, outputs.get(0));
            }
            for (int c = 1; c <= CHILDREN; c++) say(children.get(c), "go");
            // Wait while the file grows; a file that stops growing for 10 s means a writer is stuck.
            long size = -1, lastGrowth = System.nanoTime();
            for (int c = 1; c <= CHILDREN; c++) {
                Process child = children.get(c);
                while (!child.waitFor(20, TimeUnit.MILLISECONDS)) {
                    long now = Files.exists(file) ? Files.size(file) : 0;
                    if (now != size) {
                        size = now;
                        lastGrowth = System.nanoTime();
                    } else if (System.nanoTime() - lastGrowth > TimeUnit.SECONDS.toNanos(10)) {
                        fail("the file stopped growing at %,d bytes for 10 s while child c%d had calls left to make: is "
                                + "a lock never released? A writer crashed in the middle of its call before these started: "
                                + "the operating system releases a dead process's FileLock, but nothing removes, say, a "
                                + "lock file it created. c%d printed: %s", size, c, c, outputs.get(c));
                    }
                }
                if (child.exitValue() != 0) {
                    String output = outputs.get(c).toString();
                    fail("child c%d failed: %s%s", c, output, output.contains("OverlappingFileLockException")
                            ? "(two threads of one JVM asked for the FileLock at the same time: a FileLock is held "
                            + "per JVM, so threads need a lock of their own too)" : "");
                }
            }
            checkLines(Files.readAllLines(file, StandardCharsets.UTF_8));
        } finally {
            for (Process child : children) Jvm.end(child);
            Files.deleteIfExists(file);
            try (var left = Files.list(folder)) {
                for (Path path : left.toList()) Files.deleteIfExists(path);
            }
            Files.deleteIfExists(folder);
        }
    }

    static void checkLines(List<String> lines) {
        Map<String, List<String>> writers = new LinkedHashMap<>();
        writers.put("crasher", linesOf("crasher", CRASH_AT));
        for (int c = 1; c <= CHILDREN; c++) {
            for (int t = 0; t < THREADS_PER_CHILD; t++) {
                writers.put("c" + c + "-t" + t, linesOf("c" + c + "-t" + t, CALLS_PER_THREAD));
            }
        }
        Set<String> expected = new java.util.HashSet<>();
        writers.values().forEach(expected::addAll);
        int total = expected.size();
        List<String> broken = lines.stream().filter(line -> !expected.contains(line)).toList();
        if (!broken.isEmpty()) {
            fail("%,d of the %,d lines in the file are broken, e.g. %s: pieces of lines written by different "
                    + "threads or processes got mixed. Who keeps the other processes out while a line is written, from "
                    + "its first piece to its last? (Closing any channel to the file releases every lock the JVM holds "
                    + "on it: another thread's too.)", broken.size(), lines.size(), shorten(broken.get(0)));
        }
        Set<String> seen = new java.util.HashSet<>();
        int duplicates = 0;
        for (String line : lines) if (!seen.add(line)) duplicates++;
        assertThat(duplicates).as("lines found twice in the file").isEqualTo(0);
        assertThat(seen.size()).as("whole lines in the file, of %,d appended (are some overwritten? APPEND puts every "
                + "write at the end of the file)", total).isEqualTo(total);
        Map<String, Integer> position = new java.util.HashMap<>();
        for (int i = 0; i < lines.size(); i++) position.put(lines.get(i), i);
        writers.forEach((writer, mine) -> {
            for (int i = 1; i < mine.size(); i++) {
                if (position.get(mine.get(i)) < position.get(mine.get(i - 1))) {
                    fail("%s's line %d is in the file before its line %d, although it appended them one call after "
                            + "the other: does appendLines return before its lines are written?", writer, i, i - 1);
                }
            }
        });
    }

    /** A child JVM that answers "probe" with "free" when it could take an exclusive FileLock on the file, else "held". */
    static final class LockSpy {
        public static void main(String[] args) throws Exception {
            Path file = Path.of(args[0]);
            BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            System.out.println("ready");
            System.out.flush();
            java.nio.channels.FileChannel holding = null;
            for (String command; (command = commands.readLine()) != null; ) {
                if (command.equals("hold")) { // takes the lock, waiting for it, and keeps it until "release"
                    holding = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.CREATE);
                    holding.lock();
                    System.out.println("holding");
                } else if (command.equals("release")) {
                    holding.close(); // and with it the lock
                    System.out.println("released");
                } else {
                    try (var channel = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE,
                            java.nio.file.StandardOpenOption.CREATE); java.nio.channels.FileLock lock = channel.tryLock()) {
                        System.out.println(lock == null ? "held" : "free");
                    }
                }
                System.out.flush();
            }
        }
    }

    /** Stops the thread named "writer" before its 4th write (mid-line), and the one named "closer" before its close. */
    static final class Gates implements WatchedFiles.Watcher {
        final Path target;
        final AtomicInteger writerWrites = new AtomicInteger();
        final CountDownLatch writerMidLine = new CountDownLatch(1), letWriterOn = new CountDownLatch(1);
        final CountDownLatch closerAtClose = new CountDownLatch(1), letCloserClose = new CountDownLatch(1);
        final CountDownLatch closerClosed = new CountDownLatch(1);

        Gates(Path target) {
            this.target = target;
        }

        boolean on(Path file, String thread) {
            return file.equals(target) && Thread.currentThread().getName().equals(thread);
        }

        @Override
        public void beforeWrite(Path file) {
            if (on(file, "writer") && writerWrites.incrementAndGet() == 4) stopAt(writerMidLine, letWriterOn);
        }

        @Override
        public void beforeClose(Path file) {
            if (on(file, "closer") && closerAtClose.getCount() > 0) stopAt(closerAtClose, letCloserClose);
        }

        @Override
        public void afterClose(Path file) {
            if (on(file, "closer")) closerClosed.countDown();
        }

        static void stopAt(CountDownLatch arrived, CountDownLatch goOn) {
            arrived.countDown();
            try {
                goOn.await(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        void openAll() {
            letWriterOn.countDown();
            letCloserClose.countDown();
        }
    }

    static final String CLOSER_LINE = "the closer's line, written first";
    static final String WRITER_LINE = "the writer's line, stopped in its middle";

    @Test
    @Tag("6.3")
    @DisplayName("6.3 in the middle of a line the file is locked, even when another thread's call ends meanwhile")
    void fileStaysLockedWhileAnotherCallCloses() throws Exception {
        Path folder = Files.createTempDirectory("ipc test, with spaces ");
        Path real = folder.resolve("watched log.txt");
        Path file = WatchedFiles.of(real);
        Gates gates = new Gates(file);
        List<StringBuffer> outputs = new ArrayList<>();
        CountDownLatch spyReady = new CountDownLatch(1);
        Process spy = null;
        Probe.Caller<Void> closer = null, writer = null;
        WatchedFiles.watcher = gates;
        try {
            Ipc.appendLines(file, List.of()); // empty input: nothing to write, and nothing to throw
            spy = startChild(LockSpy.class, outputs, spyReady, real.toString()); // after it: a throwing answer fails at once
            closer = Probe.call("closer", () -> {
                Ipc.appendLines(file, List.of(CLOSER_LINE));
                return null;
            });
            Probe.Caller<Void> first = closer;
            if (!Probe.eventually(() -> gates.closerAtClose.getCount() == 0 || first.returned())) {
                fail("appendLines(file, one line) did not return within %d s, with no other caller",
                        Probe.PATIENCE.toSeconds());
            }
            if (closer.returned()) closer.result(); // its exception, if any; it closed no channel to the file
            writer = Probe.call("writer", () -> {
                Ipc.appendLines(file, List.of(WRITER_LINE));
                return null;
            });
            // The writer either gets into the middle of its line, or waits for the closer: only
            // a wait that lasts (300 ms) counts, so that a passing hiccup is not taken for one.
            // (A writer that spins instead of waiting is let go on after 10 s.)
            Probe.Caller<Void> second = writer;
            long[] parkedSince = {0};
            try {
                await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(2)).until(() -> {
                    if (gates.writerMidLine.getCount() == 0 || second.returned()) return true;
                    if (!parkedOrBlocked(second.thread())) parkedSince[0] = 0;
                    else if (parkedSince[0] == 0) parkedSince[0] = System.nanoTime();
                    return parkedSince[0] != 0 && System.nanoTime() - parkedSince[0] > 300_000_000L;
                });
            } catch (ConditionTimeoutException spinning) {
                // neither in the middle of its line nor parked: it spins, waiting for the closer
            }
            boolean closerAtClose = gates.closerAtClose.getCount() == 0;
            if (gates.writerMidLine.getCount() == 0 && closerAtClose) {
                // Both stopped: the writer in the middle of its line, the closer just before its close.
                String before = probe(spy, outputs.get(0), spyReady);
                if (before.equals("free")) fail(NO_FILE_LOCK);
                gates.letCloserClose.countDown();
                Probe.eventually(() -> gates.closerClosed.getCount() == 0 || first.returned());
                if (probe(spy, outputs.get(0), spyReady).equals("free")) {
                    fail("thread 'writer' was in the middle of a line (4 of its 8 pieces to go), holding a FileLock, "
                            + "when thread 'closer', whose call had just written its own line, closed its channel to the "
                            + "same file; at once another process could take the lock. Closing ANY channel to a file "
                            + "releases every lock this JVM holds on it (FileLock.isValid() still says true). Close your "
                            + "channel only while you hold your thread lock, so that no other thread of yours is mid-line");
                }
            } else {
                gates.letCloserClose.countDown();
                Probe.eventually(() -> gates.writerMidLine.getCount() == 0 || second.returned());
                if (writer.returned()) writer.result(); // its exception, if any
                if (gates.writerMidLine.getCount() > 0) {
                    fail("the test saw no write of your line through the channel it watches: open the file with "
                            + "FileChannel.open(file, ...) and write each line with writeInPieces(channel, line + \"\\n\", "
                            + "PIECES_PER_LINE)");
                }
                if (probe(spy, outputs.get(0), spyReady).equals("free")) fail(NO_FILE_LOCK);
            }
        } finally {
            gates.openAll();
            for (Probe.Caller<Void> caller : java.util.Arrays.asList(closer, writer)) {
                if (caller != null) caller.thread().join(Probe.PATIENCE.toMillis());
            }
            WatchedFiles.watcher = new WatchedFiles.Watcher() {};
            if (spy != null) Jvm.end(spy);
        }
        try {
            closer.result();
            writer.result();
            assertThat(Files.readAllLines(real, StandardCharsets.UTF_8)).as("the file's lines after both calls")
                    .containsExactlyInAnyOrder(CLOSER_LINE, WRITER_LINE);
        } finally {
            Files.deleteIfExists(real);
            try (var left = Files.list(folder)) {
                for (Path path : left.toList()) Files.deleteIfExists(path);
            }
            Files.deleteIfExists(folder);
        }
    }

    @Test
    @Tag("6.3")
    @DisplayName("6.3 waits while another process holds the file's lock, and writes its line once that lets go")
    void waitsForTheLockAnotherProcessHolds() throws Exception {
        Path folder = Files.createTempDirectory("ipc test, with spaces ");
        Path real = folder.resolve("held log.txt");
        Path file = WatchedFiles.of(real);
        List<StringBuffer> outputs = new ArrayList<>();
        CountDownLatch spyReady = new CountDownLatch(1);
        AtomicBoolean held = new AtomicBoolean(true);
        AtomicInteger writesWhileHeld = new AtomicInteger();
        Process spy = startChild(LockSpy.class, outputs, spyReady, real.toString());
        Probe.Caller<Void> caller = null;
        try {
            assertThat(ask(spy, outputs.get(0), spyReady, "hold")).as("the test's spy JVM, told to take the lock")
                    .isEqualTo("holding");
            WatchedFiles.watcher = new WatchedFiles.Watcher() {
                @Override
                public void beforeWrite(Path written) {
                    if (written.equals(file) && held.get()) writesWhileHeld.incrementAndGet();
                }
            };
            caller = Probe.call("appender", () -> {
                Ipc.appendLines(file, List.of(WRITER_LINE));
                return null;
            });
            Probe.Caller<Void> appender = caller;
            // Until it writes (wrong), returns (wrong), or waits in FileChannel.lock for the other process (right;
            // an answer that retries tryLock instead is given PATIENCE to write, which it must not do either).
            Probe.eventually(() -> writesWhileHeld.get() > 0 || appender.returned() || waitsInFileLock(appender.thread()));
            held.set(false);
            int early = writesWhileHeld.get();
            boolean returned = caller.returned();
            assertThat(ask(spy, outputs.get(0), spyReady, "release")).as("the spy JVM, told to let go").isEqualTo("released");
            if (returned) caller.result(); // its exception, if any
            if (early > 0 || returned) {
                fail("another process held the file's lock, and appendLines %s: a FileLock stops only those who ask for "
                        + "it and wait. channel.lock() waits until the other process lets go; tryLock() returns null at "
                        + "once, and a null lock is no lock", early > 0 ? "wrote into the file anyway"
                        : "returned without waiting");
            }
            caller.result();
            assertThat(Files.readAllLines(real, StandardCharsets.UTF_8)).as("the file's lines once the other process let go")
                    .containsExactly(WRITER_LINE);
        } finally {
            held.set(false);
            WatchedFiles.watcher = new WatchedFiles.Watcher() {};
            Jvm.end(spy);
            if (caller != null) caller.thread().join(Probe.PATIENCE.toMillis());
            Files.deleteIfExists(real);
            Files.deleteIfExists(folder);
        }
    }

    /** True while `thread` waits for a file lock: in FileChannel.lock, in the JDK's own code. */
    static boolean waitsInFileLock(Thread thread) {
        return java.util.Arrays.stream(thread.getStackTrace()).anyMatch(frame -> frame.getClassName().startsWith("sun.nio.ch.")
                && (frame.getMethodName().equals("lock") || frame.getMethodName().equals("lock0")));
    }

    static boolean parkedOrBlocked(Thread thread) {
        Thread.State state = thread.getState();
        return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING || state == Thread.State.BLOCKED;
    }

    static final String NO_FILE_LOCK = "in the middle of a line (4 of its 8 pieces to go), no FileLock was held on the "
            + "file: another process could write into it. Hold channel.lock() from the first piece to the last; file locks "
            + "are advisory, they keep out only those who ask for them too";

    /** Asks the spy JVM whether it could lock the file now: its answer, "held" or "free". */
    static String probe(Process spy, StringBuffer output, CountDownLatch spyReady) throws IOException, InterruptedException {
        return ask(spy, output, spyReady, "probe");
    }

    /** Tells the spy JVM `word` (probe, hold, release) and returns its answer. */
    static String ask(Process spy, StringBuffer output, CountDownLatch spyReady, String word)
            throws IOException, InterruptedException {
        if (!spyReady.await(20, TimeUnit.SECONDS)) fail("the test's spy JVM did not start within 20 s: %s", output);
        long answers = output.toString().lines().count();
        say(spy, word);
        if (!Probe.eventually(() -> output.toString().lines().count() > answers)) {
            fail("the test's spy JVM did not answer: %s", output);
        }
        return output.toString().lines().skip(answers).findFirst().orElseThrow();
    }
}
