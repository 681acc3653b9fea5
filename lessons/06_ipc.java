///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Ipc

/* ------------------------------------------------------------------------------------
 * Lesson 06: inter-process communication.
 *
 * How do threads hand work to each other without losing or repeating any, and how do
 * separate processes (other JVMs) send each other messages and share a file safely?
 *
 *     ./jbang lessons/06_ipc.java         run this lesson (add --quick for a short run)
 *     ./jbang check 06                    check your answers to the exercises at the end
 *     ./jbang hint 6.1                    a hint for exercise 6.1, one layer per call
 *
 * Threads of one JVM share the heap, so a queue between them passes references. Two
 * processes share nothing: every message must be turned into bytes (serialised), cut
 * into messages the reader can find again (framed), and carried by the operating system
 * (a pipe, a socket, a file). This lesson starts child JVMs of its own class, the way
 * Python's multiprocessing starts child interpreters, and ends every one of them before
 * it exits. Every number it prints was measured just now, on your machine.
 * ------------------------------------------------------------------------------------ */

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

class Ipc {

    static final long START = System.nanoTime();
    static boolean quick;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, so you can see the threads interleave.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    // The same class runs as the lesson (no argument, or --quick) and as each kind of
    // child JVM the lesson starts: the first argument names the child's role.
    static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("--")) {
            switch (args[0]) {
                case "send-stdout" -> sendOverStdout(Integer.parseInt(args[1]));
                case "send-socket" -> sendOverSocket(Path.of(args[1]), Integer.parseInt(args[2]));
                case "append" -> appendAsChild(Path.of(args[1]), args[2], args[3].equals("lock"), Integer.parseInt(args[4]));
                case "reply-server" -> replyServer(Path.of(args[1]));
                case "ignore-the-lock" -> ignoreTheLock(Path.of(args[1]));
                case "queue-producer" -> queueProducer(Path.of(args[1]), Integer.parseInt(args[2]), Integer.parseInt(args[3]));
                case "queue-consumer" -> queueConsumer(Path.of(args[1]));
                default -> throw new IllegalArgumentException("unknown child role " + args[0]);
            }
            return;
        }
        quick = List.of(args).contains("--quick");
        // Should we be stopped early (Ctrl-C), no child JVM may outlive us.
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
        Path scratch = Files.createTempDirectory("ipc-lesson-");
        try {
            ifInsteadOfWhile();
            threeBuffers();
            onePillTooFew();
            boundedQueue();
            coordination();
            framing();
            overStdout();
            overUnixSocket(scratch);
            queueAcrossProcesses(scratch);
            objectStreams();
            oneFileManyProcesses(scratch);
            fileLockIsPerJvm(scratch);
            closingUnlocks(scratch);
            throughput();
        } finally {
            deleteTree(scratch);
        }
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 06");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * Guarded waits: a bounded buffer built by hand, and the `if` that breaks it.
     *
     * Before we use the JDK's queues, we build one, to see what they do for us. A taker
     * that finds the buffer empty must wait until a putter has put something: a guarded
     * wait. Inside `synchronized`, `wait()` lets go of the monitor and sleeps until
     * another thread calls `notify()` or `notifyAll()` on the same object; it then takes
     * the monitor back before it returns.
     *
     * The broken version checks the condition with `if`: "if it is empty, wait; then take".
     * Between the `notifyAll()` and the moment a woken thread has the monitor again, other
     * threads can run, and one of them may take the item first. The woken thread does not
     * look again: it takes from an empty buffer. (A thread can also wake with no notify at
     * all, a "spurious wake-up", which JLS 17.2.1 allows.) We force the bad
     * interleaving: two takers wait on an empty buffer (we watch their thread state until
     * both are WAITING), we put ONE item and call `notifyAll()`. Both wake; one takes the
     * item; the other, having passed its `if` long ago, takes from the empty buffer.
     *
     * The fix is a `while`: a woken thread checks the condition again, and if another
     * thread was first, it waits again. The same two takers, the same single item: one
     * takes it, the other waits again, and takes the second item we put.
     * --------------------------------------------------------------------------------- */
    static final class IfBuffer {
        private final ArrayDeque<Integer> items = new ArrayDeque<>();

        synchronized void put(int item) {
            items.addLast(item);
            notifyAll();
        }

        synchronized int take() throws InterruptedException {
            if (items.isEmpty()) wait(); // the bug: once woken, we never look again
            return items.removeFirst();  // NoSuchElementException when another taker was first
        }
    }

    // What the handmade buffers have in common: put waits while full, take while empty.
    interface Buffer {
        void put(int item) throws InterruptedException;

        int take() throws InterruptedException;

        // How often a woken thread found its condition still false and waited again.
        long wokenInVain();
    }

    // The fix with the monitor: `while`, not `if`, and `notifyAll()`, not `notify()`.
    static final class MonitorBuffer implements Buffer {
        private final int[] slots;
        private int head, count;
        private long wokenInVain;

        MonitorBuffer(int capacity) {
            slots = new int[capacity];
        }

        public synchronized void put(int item) throws InterruptedException {
            while (count == slots.length) {
                wait();
                if (count == slots.length) wokenInVain++;
            }
            slots[(head + count) % slots.length] = item;
            count++;
            notifyAll(); // wakes every waiter, takers and putters alike: each checks its own condition
        }

        public synchronized int take() throws InterruptedException {
            while (count == 0) {
                wait();
                if (count == 0) wokenInVain++;
            }
            int item = slots[head];
            head = (head + 1) % slots.length;
            count--;
            notifyAll();
            return item;
        }

        public synchronized long wokenInVain() {
            return wokenInVain;
        }
    }

    static void ifInsteadOfWhile() throws InterruptedException {
        section("Guarded wait: if instead of while, two takers woken for one item");
        IfBuffer broken = new IfBuffer();
        AtomicInteger tookTheItem = new AtomicInteger(), tookFromEmpty = new AtomicInteger();
        List<Thread> takers = startTakers(() -> {
            try {
                broken.take();
                tookTheItem.incrementAndGet();
            } catch (NoSuchElementException e) {
                tookFromEmpty.incrementAndGet();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waitUntilParkedOrEnded(takers);
        log("if: 2 takers wait on an empty buffer; we put 1 item, and notifyAll() wakes them both");
        broken.put(1);
        for (Thread taker : takers) joinOrGiveUp(taker);
        log(String.format("if: %d taker took the item, %d threw NoSuchElementException: it took from an empty buffer",
                tookTheItem.get(), tookFromEmpty.get()));

        MonitorBuffer fixed = new MonitorBuffer(4);
        List<Integer> taken = Collections.synchronizedList(new ArrayList<>());
        takers = startTakers(() -> {
            try {
                taken.add(fixed.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        waitUntilParkedOrEnded(takers);
        fixed.put(1);
        while (taken.isEmpty() || fixed.wokenInVain() == 0) Thread.onSpinWait(); // one took it, one looked again
        waitUntilParkedOrEnded(takers);
        log(String.format("while: the same; takers took %s, and %d taker woke, found the buffer empty, waited again",
                taken, fixed.wokenInVain()));
        fixed.put(2);
        for (Thread taker : takers) joinOrGiveUp(taker);
        log("while: we put a 2nd item: takers took " + taken + " in all, none from an empty buffer");
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Guarded wait: if instead of while, two takers woken for one item ==
     *     41 ms  main             if: 2 takers wait on an empty buffer; we put 1 item, and notifyAll() wakes them both
     *     54 ms  main             if: 1 taker took the item, 1 threw NoSuchElementException: it took from an empty buffer
     *     59 ms  main             while: the same; takers took [1], and 1 taker woke, found the buffer empty, waited again
     *     61 ms  main             while: we put a 2nd item: takers took [1, 2] in all, none from an empty buffer
     */

    static List<Thread> startTakers(Runnable take) {
        return List.of(Thread.ofPlatform().name("taker-A").start(take), Thread.ofPlatform().name("taker-B").start(take));
    }

    // Returns once every thread is parked in wait() (WAITING) or has ended: we watch, we do not sleep and guess.
    static void waitUntilParkedOrEnded(List<Thread> threads) {
        for (Thread thread : threads) {
            while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TERMINATED) {
                Thread.onSpinWait();
            }
        }
    }

    /* ---------------------------------------------------------------------------------
     * Why `notifyAll()` and not `notify()`, and the same buffer with two Conditions.
     *
     * A monitor has ONE wait set, and here both kinds of thread wait in it: putters
     * (buffer full) and takers (buffer empty). `notify()` wakes one of them, any one. Say
     * the buffer holds one place and two takers wait. A putter puts an item, and its
     * `notify()` wakes taker A; the putter tries a second item, finds the buffer full and
     * waits. A takes the item; its `notify()` should wake the putter, but it may wake
     * taker B instead. B finds the buffer empty and waits again. Now the buffer is empty,
     * the putter sleeps (nobody told it there is room) and so do both takers: the wake-up
     * is lost, and all three wait forever. `notifyAll()` wakes them all, and the `while`
     * sends back to sleep those whose condition is still false: correct, at the price of
     * waking threads for nothing.
     *
     * A `ReentrantLock` can have several wait sets, one per `Condition`: takers wait on
     * `notEmpty`, putters on `notFull`. A put signals `notEmpty`, so it wakes a taker, never
     * another putter: `signal()` (wake one) is enough, and no wake-up is lost. The `while`
     * stays: between the signal and the moment the woken thread has the lock again, a
     * thread that was not asleep can take the lock and empty the buffer first (the lock is
     * not fair by default: newcomers may barge in), and spurious wake-ups happen there
     * too. In both buffers we count how often a woken thread found its condition still
     * false and waited again ("woken in vain"): how often, in this run, an `if` would
     * have gone wrong.
     *
     * And that is exactly what `ArrayBlockingQueue` is: an array, one `ReentrantLock`,
     * two Conditions `notEmpty` and `notFull`, and `while` loops around `await()` (read its
     * source). We move the same items through all three, from 3 producers to 2 consumers,
     * and check every item: delivered once, not twice, none missing.
     * --------------------------------------------------------------------------------- */
    static final class ConditionBuffer implements Buffer {
        private final int[] slots;
        private int head, count;
        private long wokenInVain;
        private final ReentrantLock lock = new ReentrantLock();
        private final Condition notFull = lock.newCondition(), notEmpty = lock.newCondition();

        ConditionBuffer(int capacity) {
            slots = new int[capacity];
        }

        public void put(int item) throws InterruptedException {
            lock.lock();
            try {
                while (count == slots.length) {
                    notFull.await();
                    if (count == slots.length) wokenInVain++;
                }
                slots[(head + count) % slots.length] = item;
                count++;
                notEmpty.signal(); // wakes one taker, and only a taker
            } finally {
                lock.unlock();
            }
        }

        public int take() throws InterruptedException {
            lock.lock();
            try {
                while (count == 0) {
                    notEmpty.await();
                    if (count == 0) wokenInVain++;
                }
                int item = slots[head];
                head = (head + 1) % slots.length;
                count--;
                notFull.signal(); // wakes one putter, and only a putter
                return item;
            } finally {
                lock.unlock();
            }
        }

        public long wokenInVain() {
            lock.lock();
            try {
                return wokenInVain;
            } finally {
                lock.unlock();
            }
        }
    }

    // The JDK's own, seen through the same interface (it does not tell how often it woke in vain).
    record QueueBuffer(BlockingQueue<Integer> queue) implements Buffer {
        public void put(int item) throws InterruptedException {
            queue.put(item);
        }

        public int take() throws InterruptedException {
            return queue.take();
        }

        public long wokenInVain() {
            return -1;
        }
    }

    static void threeBuffers() throws InterruptedException {
        section("Guarded wait, fixed: one bounded buffer, three ways, 3 producers, 2 consumers");
        int capacity = 16;
        Map<String, Buffer> buffers = new LinkedHashMap<>();
        buffers.put("wait/notifyAll, while", new MonitorBuffer(capacity));
        buffers.put("Lock + 2 Conditions, while", new ConditionBuffer(capacity));
        buffers.put("ArrayBlockingQueue", new QueueBuffer(new ArrayBlockingQueue<>(capacity)));
        log(String.format("%-26s %7s %7s %5s %7s %6s  %s", "buffer (capacity " + capacity + ")", "items", "once", "twice",
                "missing", "ms", "woken in vain"));
        boolean allOnce = true;
        for (Map.Entry<String, Buffer> buffer : buffers.entrySet()) allOnce &= moveThrough(buffer.getKey(), buffer.getValue());
        log(allOnce ? "each buffer delivered every item exactly once" : "NOT every item was delivered exactly once: see above");
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Guarded wait, fixed: one bounded buffer, three ways, 3 producers, 2 consumers ==
     *     65 ms  main             buffer (capacity 16)         items    once twice missing     ms  woken in vain
     *    169 ms  main             wait/notifyAll, while       30,000  30,000     0       0     98  1,980
     *    346 ms  main             Lock + 2 Conditions, while  30,000  30,000     0       0    174  3,772
     *    552 ms  main             ArrayBlockingQueue          30,000  30,000     0       0    201  not counted
     *    552 ms  main             each buffer delivered every item exactly once
     */

    // Producer p puts the items p*perProducer ... (p+1)*perProducer-1; then one pill (-1) per
    // consumer. Each consumer counts every item it takes in `deliveries`, one slot per item.
    // Prints one row of the table; true if every item was delivered exactly once.
    static boolean moveThrough(String name, Buffer buffer) throws InterruptedException {
        int producers = 3, consumers = 2, perProducer = quick ? 10_000 : 50_000, pill = -1;
        AtomicIntegerArray deliveries = new AtomicIntegerArray(producers * perProducer);
        long begin = System.nanoTime();
        List<Thread> producerThreads = new ArrayList<>(), consumerThreads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p * perProducer;
            producerThreads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                try {
                    for (int item = first; item < first + perProducer; item++) buffer.put(item);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (int c = 0; c < consumers; c++) {
            consumerThreads.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                try {
                    for (int item; (item = buffer.take()) != pill; ) deliveries.incrementAndGet(item);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread producer : producerThreads) joinOrGiveUp(producer);
        for (int c = 0; c < consumers; c++) buffer.put(pill);
        for (Thread consumer : consumerThreads) joinOrGiveUp(consumer);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        int once = 0, twice = 0, missing = 0;
        for (int item = 0; item < deliveries.length(); item++) {
            switch (deliveries.get(item)) {
                case 0 -> missing++;
                case 1 -> once++;
                default -> twice++;
            }
        }
        long inVain = buffer.wokenInVain();
        log(String.format("%-26s %,7d %,7d %5d %7d %,6d  %s", name, deliveries.length(), once, twice, missing, millis,
                inVain < 0 ? "not counted" : "%,d".formatted(inVain)));
        return once == deliveries.length();
    }

    /* ---------------------------------------------------------------------------------
     * Between threads: a BlockingQueue, and how to tell consumers to stop.
     *
     * A `BlockingQueue` is the thread version of the notebook's `Queue`, and the buffer we
     * just built: `put` adds an item (waiting while a bounded queue is full), `take`
     * removes one (waiting while it is empty). Each item goes to exactly one taker. But a consumer blocked in `take()`
     * cannot tell "no item yet" from "no item ever": we must say so with a message, a
     * "poison pill", an item that means "stop".
     *
     * The broken version first: two consumers, and one pill. Consumer A takes the pill
     * and stops; consumer B waits in `take()` for an item that never comes. Nothing
     * fails, nothing is printed: the program just never ends. We wait a bounded time and
     * look.
     * --------------------------------------------------------------------------------- */
    static void onePillTooFew() throws InterruptedException {
        section("Between threads: one poison pill for two consumers");
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(16);
        String pill = "STOP";
        AtomicLong handled = new AtomicLong();
        List<Thread> consumers = new ArrayList<>();
        for (String name : List.of("consumer-A", "consumer-B")) {
            consumers.add(Thread.ofPlatform().name(name).start(() -> {
                try {
                    for (String item; !(item = queue.take()).equals(pill); ) handled.incrementAndGet();
                    log("took the pill: stopping");
                } catch (InterruptedException e) {
                    log("interrupted while waiting in take(): nobody sent me a pill");
                }
            }));
        }
        for (int i = 0; i < 100; i++) queue.put("job " + i);
        queue.put(pill); // one pill, two consumers: the bug
        long stillWaiting = 0;
        for (Thread consumer : consumers) if (!consumer.join(Duration.ofMillis(300))) stillWaiting++;
        log(String.format("%d items handled; after 300 ms, %d of 2 consumers still waiting in take(), state %s",
                handled.get(), stillWaiting, consumers.stream().filter(Thread::isAlive).map(Thread::getState).toList()));
        // The cure: one pill per consumer. Here we rescue the stuck one by interrupting it.
        consumers.forEach(Thread::interrupt);
        for (Thread consumer : consumers) consumer.join();
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Between threads: one poison pill for two consumers ==
     * ?  556 ms  consumer-A       took the pill: stopping
     *    860 ms  main             100 items handled; after 300 ms, 1 of 2 consumers still waiting in take(), state [WAITING]
     * ?  865 ms  consumer-B       interrupted while waiting in take(): nobody sent me a pill
     */

    /* ---------------------------------------------------------------------------------
     * Several producers, several consumers, a bounded queue: back-pressure.
     *
     * Three producers make items faster than two consumers can handle them. With an
     * unbounded queue the backlog would grow until memory runs out; with a bounded one,
     * `put` blocks when the queue is full, so producers slow down to the consumers'
     * pace. We count how often a producer found the queue full (`offer` said no) and how
     * long it then waited in `put`.
     *
     * Shutdown: when every producer has ended (we join them), we put one pill per
     * consumer. The queue is FIFO, so each pill comes after every real item. Then we
     * check what arrived: the exact multiset, no duplicate, nothing missing.
     * --------------------------------------------------------------------------------- */
    static void boundedQueue() throws InterruptedException {
        section("Between threads: bounded queue, 3 producers, 2 consumers");
        int producers = 3, consumers = 2, capacity = 32;
        int perProducer = quick ? 2_000 : 10_000;
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(capacity);
        Integer pill = -1;
        AtomicLong timesFull = new AtomicLong(), nanosBlocked = new AtomicLong();
        Map<Integer, Integer> deliveries = new ConcurrentHashMap<>();

        long begin = System.nanoTime();
        List<Thread> producerThreads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p * perProducer;
            producerThreads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                try {
                    for (int item = first; item < first + perProducer; item++) {
                        if (!queue.offer(item)) {       // full: we will have to wait
                            timesFull.incrementAndGet();
                            long waitBegin = System.nanoTime();
                            queue.put(item);
                            nanosBlocked.addAndGet(System.nanoTime() - waitBegin);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Thread> consumerThreads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            consumerThreads.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                try {
                    for (Integer item; !(item = queue.take()).equals(pill); ) {
                        deliveries.merge(item, 1, Integer::sum);
                        slowWork(20_000); // handling an item takes longer than making one
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread producer : producerThreads) joinOrGiveUp(producer);
        for (int c = 0; c < consumers; c++) queue.put(pill); // one pill per consumer
        for (Thread consumer : consumerThreads) joinOrGiveUp(consumer);
        long millis = (System.nanoTime() - begin) / 1_000_000;

        int sent = producers * perProducer;
        long duplicates = deliveries.values().stream().filter(count -> count > 1).count();
        long missing = sent - deliveries.size();
        log(String.format("sent %,d items, delivered %,d distinct, %d delivered twice, %d missing, in %,d ms",
                sent, deliveries.size(), duplicates, missing, millis));
        log(String.format("producers found the queue (capacity %d) full %,d times and waited %,d ms in put()",
                capacity, timesFull.get(), nanosBlocked.get() / 1_000_000));
        log(String.format("all %d consumers ended: %b (each took its own pill)",
                consumers, consumerThreads.stream().noneMatch(Thread::isAlive)));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Between threads: bounded queue, 3 producers, 2 consumers ==
     *    913 ms  main             sent 6,000 items, delivered 6,000 distinct, 0 delivered twice, 0 missing, in 44 ms
     *    913 ms  main             producers found the queue (capacity 32) full 1,045 times and waited 110 ms in put()
     *    914 ms  main             all 2 consumers ended: true (each took its own pill)
     */

    // Busy work standing in for "handling an item": a loop the JIT cannot remove.
    static long slowWork(int steps) {
        long x = steps;
        for (int i = 0; i < steps; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        if (x == 42) System.out.print("");
        return x;
    }

    static void joinOrGiveUp(Thread thread) throws InterruptedException {
        if (!thread.join(Duration.ofSeconds(20))) {
            thread.interrupt();
            throw new IllegalStateException(thread.getName() + " did not end within 20 s");
        }
    }

    /* ---------------------------------------------------------------------------------
     * Coordination: a start gate, a done signal, and at most N at once.
     *
     * The demos above already coordinate threads by hand: `join` waits until a thread
     * has ended, and the pills tell consumers the work is over. The JDK has tools for the
     * other common cases, and we use two of them here.
     *
     * `CountDownLatch(n)`: `countDown()` takes one off, `await()` waits until it reaches
     * zero, once (a latch never resets). With n = 1 it is a start gate: every worker
     * awaits it, and one `countDown()` lets them all go at the same moment. With n =
     * workers it is a done signal: each worker counts down when it finishes, and the boss
     * awaits zero (with a time limit if we like), with no need to hold the threads to join
     * them. A third latch, `ready`, lets us open the gate only once every worker waits at it.
     *
     * `Semaphore(n)`: n permits; `acquire()` takes one, waiting while none is left;
     * `release()` gives it back. At most n threads hold one at once: a limit on how many
     * use a resource (connections, a slow service) at the same time. A permit belongs to
     * nobody: any thread may release one, even one it never acquired, and the count just
     * grows. So we release in `finally`, exactly once per acquire that succeeded.
     *
     * We let 8 workers through a section that takes 20 ms (a sleep standing in for a call
     * to a slow service), first with 8 permits (no limit), then with 2, and count how
     * many were inside at the same moment: the peak.
     *
     * The others, in short. `CyclicBarrier(n)`: n threads wait for EACH OTHER at
     * `await()`, then all go on, and the barrier resets for the next round (a simulation
     * step by step, each thread one part of the grid). `Phaser`: a barrier whose parties
     * can register and leave between rounds, which counts its rounds (phases). And
     * none of them works between processes: they live in one heap. For the child JVMs
     * below, we build the same things from messages: the appenders' "ready" and "go"
     * lines are a start gate, and the queue broker's threads wait at a latch before they
     * tell their producer JVM "go".
     * --------------------------------------------------------------------------------- */
    static void coordination() throws InterruptedException {
        section("Coordination: a start gate and a done signal (CountDownLatch), at most N at once (Semaphore)");
        int workers = 8;
        for (int limit : List.of(workers, 2)) { // as many permits as workers (no limit), then 2
            Semaphore permits = new Semaphore(limit);
            CountDownLatch ready = new CountDownLatch(workers), startGate = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(workers);
            AtomicInteger inside = new AtomicInteger(), peak = new AtomicInteger();
            for (int w = 0; w < workers; w++) {
                Thread.ofPlatform().name("worker-" + w).start(() -> {
                    try {
                        ready.countDown();
                        startGate.await();
                        permits.acquire();
                        try {
                            peak.accumulateAndGet(inside.incrementAndGet(), Math::max);
                            Thread.sleep(20); // the slow service
                            inside.decrementAndGet();
                        } finally {
                            permits.release();
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    } finally {
                        done.countDown();
                    }
                });
            }
            ready.await();            // every worker waits at the gate
            long begin = System.nanoTime();
            startGate.countDown();    // open it: all go at once
            boolean allDone = done.await(20, TimeUnit.SECONDS);
            long millis = (System.nanoTime() - begin) / 1_000_000;
            log(String.format("Semaphore(%d): %d workers through one gate, at most %d inside at once; %s", limit, workers,
                    peak.get(), allDone ? "all done after %,d ms".formatted(millis) : "NOT all done within 20 s"));
        }
        log(String.format("with Semaphore(2), %d workers x 20 ms can take no less than %d / 2 x 20 = %d ms", workers, workers,
                workers / 2 * 20));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Coordination: a start gate and a done signal (CountDownLatch), at most N at once (Semaphore) ==
     *    940 ms  main             Semaphore(8): 8 workers through one gate, at most 8 inside at once; all done after 21 ms
     *   1024 ms  main             Semaphore(2): 8 workers through one gate, at most 2 inside at once; all done after 81 ms
     *   1024 ms  main             with Semaphore(2), 8 workers x 20 ms can take no less than 8 / 2 x 20 = 80 ms
     */

    /* ---------------------------------------------------------------------------------
     * Framing and serialisation: one message as bytes.
     *
     * A pipe or a socket carries a stream of bytes, not messages: one `write` of 100
     * bytes may arrive as two `read`s of 60 and 40, and two small writes as one read.
     * So the reader must be told where a message ends. Two common ways:
     *   - lines: end each message with '\n'. Simple, readable, but the message itself
     *     must never contain a '\n' (escape it, or use this only for text you control);
     *   - a length prefix: write the message's size, then its bytes. The reader reads
     *     exactly four bytes, then exactly that many. Any content is fine.
     *
     * Inside the frame, the values must become bytes: we write each one as a tag ('i'
     * for an int, 'n' for null, 's' for a string) followed by its value, with
     * `DataOutputStream`. The reader can only ever get ints, nulls and strings back,
     * whatever bytes an attacker sends: that is the point (see the next sections).
     * --------------------------------------------------------------------------------- */
    static void writeMessage(DataOutputStream out, List<?> values) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream fields = new DataOutputStream(body);
        fields.writeInt(values.size());
        for (Object value : values) {
            switch (value) {
                case null -> fields.writeByte('n');
                case Integer number -> {
                    fields.writeByte('i');
                    fields.writeInt(number);
                }
                case String text -> {
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    fields.writeByte('s');
                    fields.writeInt(utf8.length);
                    fields.write(utf8);
                }
                default -> throw new IllegalArgumentException("cannot send a " + value.getClass().getName());
            }
        }
        out.writeInt(body.size()); // the frame: length, then body
        body.writeTo(out);
    }

    // Reads one message written by writeMessage; EOFException if the stream ended first.
    static List<Object> readMessage(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 64 << 20) throw new IOException("implausible message length " + length);
        DataInputStream fields = new DataInputStream(new ByteArrayInputStream(in.readNBytes(length)));
        int count = fields.readInt();
        List<Object> values = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            int tag = fields.readByte();
            values.add(switch (tag) {
                case 'n' -> null;
                case 'i' -> fields.readInt();
                case 's' -> new String(fields.readNBytes(fields.readInt()), StandardCharsets.UTF_8);
                default -> throw new IOException("unknown tag " + tag);
            });
        }
        return values;
    }

    /* ---------------------------------------------------------------------------------
     * Both framings, tried on the same two messages, one of which holds a newline. As
     * lines, the reader finds three messages where we sent two; with the length prefix,
     * it finds exactly what we sent.
     * --------------------------------------------------------------------------------- */
    static void framing() throws IOException {
        section("Framing: where does one message end?");
        List<String> sent = List.of("one line", "two\nlines");
        ByteArrayOutputStream asLines = new ByteArrayOutputStream();
        for (String message : sent) asLines.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        List<String> linesBack = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(asLines.toByteArray()), StandardCharsets.UTF_8)).lines().toList();
        log(String.format("sent %d messages as lines, read back %d: %s", sent.size(), linesBack.size(), shown(linesBack)));

        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(framed);
        for (String message : sent) writeMessage(out, List.of(message));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(framed.toByteArray()));
        List<Object> framedBack = new ArrayList<>();
        while (in.available() > 0) framedBack.addAll(readMessage(in));
        log(String.format("sent %d messages length-prefixed, read back %d: %s", sent.size(), framedBack.size(),
                shown(framedBack)));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Framing: where does one message end? ==
     *   1027 ms  main             sent 2 messages as lines, read back 3: ["one line", "two", "lines"]
     *   1033 ms  main             sent 2 messages length-prefixed, read back 2: ["one line", "two\nlines"]
     */

    static String shown(List<?> messages) {
        return messages.stream().map(message -> "\"" + String.valueOf(message).replace("\n", "\\n") + "\"").toList().toString();
    }

    // How the lesson starts a child JVM of its own class: this JVM's java, this JVM's
    // class path, the class name, and the child's role. Its standard error is ours.
    static Process startChild(String... roleAndArguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Ipc.class.getName()));
        command.addAll(List.of(roleAndArguments));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    // Ends a child for sure: a polite wait, then the kill, then wait until it is gone.
    static void endChild(Process child) throws InterruptedException {
        if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly();
        child.waitFor(5, TimeUnit.SECONDS);
    }

    // Lets no wait on a child last forever: kills it after `limit`, which ends every read
    // from it (they see the end of the stream).
    static void killAfter(Process child, Duration limit) {
        Thread.ofVirtual().name("watchdog").start(() -> {
            try {
                if (!child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) child.destroyForcibly();
            } catch (InterruptedException ignored) {
                child.destroyForcibly();
            }
        });
    }

    static final List<Object> HELLO = Arrays.asList(42, null, "hello");
    static final Map<String, Double> messagesPerSecond = new HashMap<>();

    /* ---------------------------------------------------------------------------------
     * Between processes, one way: the child's standard output is a pipe.
     *
     * The notebook's `mp.Queue` carries pickled objects from a child to its parent. Our
     * child JVM writes framed messages to its standard output; for the parent that is
     * `process.getInputStream()`, one end of an operating-system pipe. The child must
     * print nothing else there (logs go to standard error), or the frames are corrupted.
     * After the greeting, it sends a burst of small messages so that we can time the pipe.
     * --------------------------------------------------------------------------------- */
    static void overStdout() throws IOException, InterruptedException {
        section("Between processes: a message over the child's standard output (a pipe)");
        int burst = quick ? 50_000 : 300_000;
        Process child = startChild("send-stdout", String.valueOf(burst));
        killAfter(child, Duration.ofSeconds(30));
        try (DataInputStream in = new DataInputStream(child.getInputStream())) {
            List<Object> hello = readMessage(in);
            log("child JVM, pid " + child.pid() + ", sent over its stdout: " + hello);
            messagesPerSecond.put("pipe (child's stdout)", timeBurst(in, burst));
        } finally {
            endChild(child);
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Between processes: a message over the child's standard output (a pipe) ==
     *   1107 ms  main             child JVM, pid 11540, sent over its stdout: [42, null, hello]
     */

    static void sendOverStdout(int burst) throws IOException {
        // Standard output, unbuffered by System.out's PrintStream, with a buffer of ours.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        writeMessage(out, HELLO);
        out.flush(); // without it, the greeting would sit in our buffer
        sendBurst(out, burst);
    }

    // A burst: `count` messages [number, "tick"], then the time it took to read them.
    static void sendBurst(DataOutputStream out, int count) throws IOException {
        List<Object> tick = new ArrayList<>(Arrays.asList(0, "tick"));
        for (int i = 0; i < count; i++) {
            tick.set(0, i);
            writeMessage(out, tick);
        }
        out.flush();
    }

    static double timeBurst(DataInputStream in, int count) throws IOException {
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            List<Object> tick = readMessage(in);
            if (!tick.get(0).equals(i)) throw new IOException("expected message " + i + ", got " + tick);
        }
        return count / ((System.nanoTime() - begin) / 1e9);
    }

    /* ---------------------------------------------------------------------------------
     * Between processes, both ways: a Unix domain socket, like the notebook's Pipe().
     *
     * `Pipe()` gives two connected ends, each can send and receive. A Unix domain socket
     * does the same between any two processes on one machine, and it is found by a path
     * in the file system. The parent binds a server socket to a path in its temporary
     * folder, starts the child with that path, and accepts (waiting at most 10 s). Then:
     * the child sends the greeting, the parent answers, the child echoes the answer
     * back, and both directions have carried a message. The socket file is deleted with
     * the folder at the end.
     * --------------------------------------------------------------------------------- */
    static void overUnixSocket(Path scratch) throws IOException, InterruptedException {
        section("Between processes: both ways over a Unix domain socket (like Pipe())");
        int burst = quick ? 50_000 : 300_000;
        Path socketFile = scratch.resolve("lesson.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socketFile));
            Process child = startChild("send-socket", socketFile.toString(), String.valueOf(burst));
            killAfter(child, Duration.ofSeconds(30));
            try (SocketChannel channel = acceptWithin(server, Duration.ofSeconds(10))) {
                // Buffer both directions: unbuffered, every readInt would be a read system call
                // of its own (JDK 25 asks for all four bytes in one read; older JDKs made four
                // one-byte reads), and every small write its own system call too.
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
                log("child JVM, pid " + child.pid() + ", sent over the socket: " + readMessage(in));
                writeMessage(out, List.of("thanks, child", 7));
                out.flush();
                log("the child echoed our answer back: " + readMessage(in));
                messagesPerSecond.put("Unix domain socket", timeBurst(in, burst));
            } finally {
                endChild(child);
            }
        } finally {
            Files.deleteIfExists(socketFile);
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Between processes: both ways over a Unix domain socket (like Pipe()) ==
     *   1317 ms  main             child JVM, pid 11564, sent over the socket: [42, null, hello]
     *   1342 ms  main             the child echoed our answer back: [child 11564 got, thanks, child, 7]
     */

    static SocketChannel acceptWithin(ServerSocketChannel server, Duration limit) throws IOException {
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            if (selector.select(limit.toMillis()) == 0) throw new IOException("no child connected within " + limit);
        }
        SocketChannel channel = server.accept(); // a new channel: blocking, as we want it
        if (channel == null) throw new IOException("the connection went away");
        return channel;
    }

    static void sendOverSocket(Path socketFile, int burst) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            writeMessage(out, HELLO);
            out.flush();
            List<Object> answer = readMessage(in);
            List<Object> echo = new ArrayList<>(List.of("child " + ProcessHandle.current().pid() + " got"));
            echo.addAll(answer);
            writeMessage(out, echo);
            sendBurst(out, burst);
        }
    }

    /* ---------------------------------------------------------------------------------
     * Between processes: one queue, several producer and consumer processes (mp.Queue).
     *
     * Python's `multiprocessing.Queue` is a pipe with some machinery around it. In the
     * process that calls `put()`, the object goes into a local buffer, and a "feeder"
     * thread, started on the first put, pickles it and writes it into the pipe (so put()
     * returns before the item is in the pipe, and a process with items still in its
     * buffer waits for its feeder before it exits). Two locks keep messages whole: one
     * around the writing end, so that the feeders of two producer processes never mix
     * their bytes, one around the reading end, so that two consumer processes never read
     * the halves of one message. A semaphore counts the free places, so that put() waits
     * while `maxsize` items are in the queue. Every child gets the pipe's two ends when it
     * is started, and that is how they all share one queue.
     *
     * The JDK has no such class: a `BlockingQueue` lives in one heap. The Java form is a
     * broker: one process owns the `BlockingQueue` and serves it to the others over a
     * socket. Here it is our process. Two producer JVMs send items; the broker's thread
     * for each puts them into the queue. Two consumer JVMs ask "take", one item at a time;
     * the broker's thread for each takes from the queue and sends the item back. Each item
     * leaves the queue by one `take()`, so it goes to exactly one consumer. The queue is
     * bounded: when it is full, the producer's broker thread waits in `put()`, stops reading
     * its socket, the socket's buffer fills, and the producer JVM waits in `write()`:
     * back-pressure, across processes.
     *
     * The end is told as between threads: when both producers have said "end", the broker
     * puts one pill per consumer; a consumer that gets the pill sends back the list of all
     * the items it received, and we check every item: received once, not twice, none
     * missing. (If a consumer crashed with an item in hand, that item would be lost: a real
     * broker, like ActiveMQ or RabbitMQ between machines, waits for an acknowledgement and
     * hands the item out again. Then it may be delivered twice, and consumers must cope.)
     * --------------------------------------------------------------------------------- */
    static void queueAcrossProcesses(Path scratch) throws IOException, InterruptedException {
        section("Between processes: one queue, 2 producer JVMs, 2 consumer JVMs (like mp.Queue)");
        int producers = 2, consumers = 2, perProducer = quick ? 10_000 : 50_000;
        Path socketFile = scratch.resolve("queue.sock");
        int capacity = 64;
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(capacity);
        CountDownLatch startGate = new CountDownLatch(1);
        Map<Long, List<Object>> received = new ConcurrentHashMap<>(); // consumer pid -> the items it got
        List<Process> children = new ArrayList<>();
        List<Thread> producerSides = new ArrayList<>(), consumerSides = new ArrayList<>();
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socketFile));
            for (int p = 0; p < producers; p++) {
                children.add(startChild("queue-producer", socketFile.toString(), String.valueOf(p * perProducer),
                        String.valueOf(perProducer)));
            }
            for (int c = 0; c < consumers; c++) children.add(startChild("queue-consumer", socketFile.toString()));
            for (Process child : children) killAfter(child, Duration.ofSeconds(60));
            // Each child connects and says who it is; the broker gives each connection a thread of its own.
            for (int connected = 0; connected < children.size(); connected++) {
                SocketChannel channel = acceptWithin(server, Duration.ofSeconds(20));
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
                List<Object> hello = readMessage(in); // ["producer" or "consumer", pid]
                long pid = ((Integer) hello.get(1)).longValue();
                if (hello.get(0).equals("producer")) {
                    producerSides.add(Thread.ofPlatform().name("broker-for-" + pid).start(() ->
                            serveProducer(channel, in, out, queue, startGate)));
                } else {
                    consumerSides.add(Thread.ofPlatform().name("broker-for-" + pid).start(() ->
                            serveConsumer(channel, in, out, queue, received, pid)));
                }
            }
            log(String.format("%d producer JVMs and %d consumer JVMs are connected to our queue (capacity %d) over %s",
                    producerSides.size(), consumerSides.size(), capacity, socketFile.getFileName()));
            long begin = System.nanoTime();
            startGate.countDown(); // the producers' broker threads tell their producer "go"
            for (Thread producerSide : producerSides) joinOrGiveUp(producerSide);
            for (int c = 0; c < consumers; c++) queue.put(PILL);
            for (Thread consumerSide : consumerSides) joinOrGiveUp(consumerSide);
            double seconds = (System.nanoTime() - begin) / 1e9;

            int sent = producers * perProducer;
            int[] deliveries = new int[sent];
            int strangers = 0;
            for (List<Object> items : received.values()) {
                for (Object item : items) {
                    if (item instanceof Integer number && number >= 0 && number < sent) deliveries[number]++;
                    else strangers++;
                }
            }
            long once = Arrays.stream(deliveries).filter(count -> count == 1).count();
            long twice = Arrays.stream(deliveries).filter(count -> count > 1).count();
            long missing = Arrays.stream(deliveries).filter(count -> count == 0).count();
            int total = received.values().stream().mapToInt(List::size).sum();
            log(String.format("producers sent %,d items; the consumers received %,d", sent, total));
            log(String.format("by item: %,d received once, %d more than once, %d missing, %d unknown", once, twice, missing,
                    strangers));
            log(twice == 0 && missing == 0 && strangers == 0 ? "every item went to exactly one consumer process"
                    : "NOT every item went to exactly one consumer process: see the counts above");
            received.forEach((pid, items) -> log(String.format("consumer JVM pid %d received %,d items", pid, items.size())));
            double rate = sent / seconds;
            log(String.format("%,d items, 2 JVMs to 2 JVMs, in %,.0f ms: %,.0f items/s (a round trip per take)",
                    sent, seconds * 1000, rate));
            messagesPerSecond.put("queue across processes", rate);
        } finally {
            Stream.concat(producerSides.stream(), consumerSides.stream()).forEach(Thread::interrupt); // if we failed early
            for (Process child : children) endChild(child);
            Files.deleteIfExists(socketFile);
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Between processes: one queue, 2 producer JVMs, 2 consumer JVMs (like mp.Queue) ==
     *   1666 ms  main             2 producer JVMs and 2 consumer JVMs are connected to our queue (capacity 64) over queue.sock
     *   2490 ms  main             producers sent 20,000 items; the consumers received 20,000
     *   2490 ms  main             by item: 20,000 received once, 0 more than once, 0 missing, 0 unknown
     *   2491 ms  main             every item went to exactly one consumer process
     *   2493 ms  main             consumer JVM pid 11586 received 11,298 items
     *   2494 ms  main             consumer JVM pid 11591 received 8,702 items
     *   2494 ms  main             20,000 items, 2 JVMs to 2 JVMs, in 796 ms: 25,133 items/s (a round trip per take)
     */

    static final Integer PILL = -1;

    // The broker's side of one producer: "go" once the gate opens, then every item into the queue, until "end".
    static void serveProducer(SocketChannel channel, DataInputStream in, DataOutputStream out, BlockingQueue<Integer> queue,
                              CountDownLatch startGate) {
        try (channel) {
            startGate.await();
            writeMessage(out, List.of("go"));
            out.flush();
            for (List<Object> message; !(message = readMessage(in)).equals(List.of("end")); ) {
                queue.put((Integer) message.get(0)); // waits while the queue is full: back-pressure
            }
        } catch (IOException | InterruptedException e) {
            log("serving a producer failed: " + e);
        }
    }

    // The broker's side of one consumer: for each "take", one item out of the queue; at the pill, "stop",
    // and the consumer's answer is the list of every item it received.
    static void serveConsumer(SocketChannel channel, DataInputStream in, DataOutputStream out, BlockingQueue<Integer> queue,
                              Map<Long, List<Object>> received, long pid) {
        try (channel) {
            while (readMessage(in).equals(List.of("take"))) {
                Integer item = queue.take();
                writeMessage(out, item.equals(PILL) ? List.of("stop") : List.of(item));
                out.flush();
                if (item.equals(PILL)) {
                    received.put(pid, readMessage(in));
                    return;
                }
            }
        } catch (IOException | InterruptedException e) {
            log("serving a consumer failed: " + e);
        }
    }

    // A producer child: says who it is, waits for "go", sends its items, then "end".
    static void queueProducer(Path socketFile, int first, int count) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            writeMessage(out, List.of("producer", (int) ProcessHandle.current().pid()));
            out.flush();
            readMessage(in); // "go"
            for (int item = first; item < first + count; item++) writeMessage(out, List.of(item));
            writeMessage(out, List.of("end"));
            out.flush();
        }
    }

    // A consumer child: says who it is, then asks for one item at a time until "stop"; then it
    // sends back every item it received, for the broker to check.
    static void queueConsumer(Path socketFile) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            writeMessage(out, List.of("consumer", (int) ProcessHandle.current().pid()));
            List<Object> items = new ArrayList<>();
            while (true) {
                writeMessage(out, List.of("take"));
                out.flush();
                List<Object> reply = readMessage(in);
                if (reply.equals(List.of("stop"))) break;
                items.add(reply.get(0));
            }
            writeMessage(out, items);
            out.flush();
        }
    }

    /* ---------------------------------------------------------------------------------
     * Why not just send Java objects? ObjectInputStream on bytes we do not trust.
     *
     * Python's pickle and Java's `ObjectInputStream` both rebuild objects of whatever
     * class the *bytes* name, and run that class's code (`readObject`) while doing it,
     * before our cast ever checks the type. An attacker who can send us bytes picks
     * classes on our class path whose readObject code chains into something harmful (a
     * "gadget chain"): this is how many real remote-code-execution bugs worked. We play
     * the attacker with a harmless class whose readObject just logs.
     *
     * Two defences: do not deserialise objects from untrusted input at all (send data in
     * a format like the one above: the reader decides what it builds), or, if you must,
     * an `ObjectInputFilter` that allows a short list of classes and rejects the rest,
     * with limits too: a depth, a number of references, of bytes and of array elements,
     * or a small stream can still make the reader build a huge or deeply nested graph.
     * Ours names five classes (`java.lang.Object` only for the Object[] inside an
     * ArrayList: a filter checks an array by its element type), not "java.util.*", whose
     * hundreds of classes are exactly where gadgets hide. A JVM-wide filter needs no
     * code: `-Djdk.serialFilter=<the same pattern>` applies it to every ObjectInputStream.
     * --------------------------------------------------------------------------------- */
    static void objectStreams() throws IOException, ClassNotFoundException {
        section("Serialisation: ObjectInputStream runs code the sender chose");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Surprise());    // we expected a list of values
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            List<?> values = (List<?>) in.readObject();
            log("got " + values);
        } catch (ClassCastException e) {
            log("our cast failed (" + e.getClass().getSimpleName() + "), but only after the sender's readObject had run");
        }
        ObjectInputFilter onlyData = ObjectInputFilter.Config.createFilter("maxdepth=4;maxrefs=100;maxbytes=4096;"
                + "maxarray=100;java.util.ArrayList;java.lang.Integer;java.lang.Number;java.lang.String;java.lang.Object;!*");
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(onlyData);
            in.readObject();
        } catch (java.io.InvalidClassException e) {
            log("with an allow-list filter: " + e.getMessage() + " (no code of the class ran)");
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(data)) {
            out.writeObject(new ArrayList<>(List.of(42, "hello")));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data.toByteArray()))) {
            in.setObjectInputFilter(onlyData);
            log("the same filter lets plain data through: " + in.readObject());
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Serialisation: ObjectInputStream runs code the sender chose ==
     *   2517 ms  main             Surprise.readObject is running: code picked by the bytes, not by the reader
     *   2517 ms  main             our cast failed (ClassCastException), but only after the sender's readObject had run
     *   2522 ms  main             with an allow-list filter: filter status: REJECTED (no code of the class ran)
     *   2534 ms  main             the same filter lets plain data through: [42, hello]
     */

    static class Surprise implements Serializable {
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            log("Surprise.readObject is running: code picked by the bytes, not by the reader");
        }
    }

    /* ---------------------------------------------------------------------------------
     * Several processes, one file: lines that break, then a FileLock.
     *
     * The notebook uses "a lock so only one process prints at a time". Let's do it for
     * real: three child JVMs append lines to one log file. Each writes a line in eight
     * small writes (think of a logger writing a timestamp, then a level, then the
     * text). The file is opened for APPEND, so no write overwrites another; but between
     * two writes of child 1, child 2 can slip in its own, and a line breaks:
     *
     *     child-1 line 00017 =========    child-2 line 00009 ====...
     *
     * All three wait for a start signal on their standard input once their JVM is up,
     * so that they really write at the same time. Then the fix: `FileChannel.lock()`
     * around each whole line. The operating system grants that lock to one process at
     * a time; the others wait in `lock()`.
     *
     * Why does the notebook's printing seldom break lines even without a lock? Not
     * thanks to the lock: processes printing to one terminal or pipe write to a pipe, and
     * POSIX makes a write of at most PIPE_BUF bytes (4,096 on Linux) to a pipe atomic: its
     * bytes never mix with another writer's. A line printed in ONE write, shorter than
     * that, arrives whole. A lock is needed when a line takes several writes (as here:
     * eight) or is longer than PIPE_BUF; and a regular file has no PIPE_BUF promise at all.
     * --------------------------------------------------------------------------------- */
    static void oneFileManyProcesses(Path scratch) throws IOException, InterruptedException {
        section("Several processes append to one file: without a lock, then with FileLock");
        int children = 3, linesEach = quick ? 2_000 : 5_000;
        Path log = scratch.resolve("shared.log");
        for (int attempt = 1; attempt <= 3; attempt++) {
            Files.deleteIfExists(log);
            long millis = runAppenders(log, children, linesEach, false);
            long broken = brokenLines(log);
            log(String.format("no lock: %d children wrote %,d lines in %,d ms; %,d lines are broken",
                    children, children * linesEach, millis, broken));
            if (broken > 0) {
                log("for example, this line:");
                System.out.println("    " + Files.readAllLines(log).stream().filter(line -> !WHOLE_LINE.matcher(line).matches())
                        .findFirst().orElse("?"));
                break;
            }
            log("no line broke this time: the children did not write at the same moment"
                    + (attempt < 3 ? "; trying again" : "; the race is still there, we were lucky 3 times"));
        }
        Files.deleteIfExists(log);
        long millis = runAppenders(log, children, linesEach, true);
        log(String.format("FileLock: %d children wrote %,d lines in %,d ms; %,d lines are broken",
                children, children * linesEach, millis, brokenLines(log)));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Several processes append to one file: without a lock, then with FileLock ==
     *   2943 ms  main             no lock: 3 children wrote 6,000 lines in 265 ms; 2,748 lines are broken
     * ? 2943 ms  main             for example, this line:
     * ?   child-2 line 00002 =======================child-1 line 00001 ======================== end
     *   3478 ms  main             FileLock: 3 children wrote 6,000 lines in 390 ms; 0 lines are broken
     */

    static final Pattern WHOLE_LINE = Pattern.compile("child-\\d line \\d{5} =+ end");
    static final int PIECES_PER_LINE = 8;

    // Starts the appenders, waits until each is ready, says "go" to all, and returns the
    // longest time one of them spent writing.
    static long runAppenders(Path log, int children, int linesEach, boolean lock) throws IOException, InterruptedException {
        List<Process> appenders = new ArrayList<>();
        try {
            for (int c = 1; c <= children; c++) {
                Process child = startChild("append", log.toString(), "child-" + c, lock ? "lock" : "nolock",
                        String.valueOf(linesEach));
                killAfter(child, Duration.ofSeconds(30));
                appenders.add(child);
            }
            List<BufferedReader> replies = new ArrayList<>();
            for (Process child : appenders) {
                BufferedReader reply = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                if (!"ready".equals(reply.readLine())) throw new IOException("an appender did not start");
                replies.add(reply);
            }
            for (Process child : appenders) child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            for (Process child : appenders) child.getOutputStream().flush();
            long longest = 0;
            for (BufferedReader reply : replies) {
                String done = reply.readLine(); // "done <milliseconds>"
                if (done == null) throw new IOException("an appender failed");
                longest = Math.max(longest, Long.parseLong(done.substring(5)));
            }
            return longest;
        } finally {
            for (Process child : appenders) endChild(child);
        }
    }

    static void appendAsChild(Path log, String name, boolean lock, int lines) throws IOException {
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // the start signal
        long begin = System.nanoTime();
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < lines; i++) {
                String line = String.format("%s line %05d %s end%n", name, i, "=".repeat(24));
                if (lock) {
                    try (FileLock held = channel.lock()) { // waits while another process holds it
                        writeInPieces(channel, line, PIECES_PER_LINE);
                    }
                } else {
                    writeInPieces(channel, line, PIECES_PER_LINE);
                }
            }
        }
        System.out.println("done " + (System.nanoTime() - begin) / 1_000_000);
    }

    // Writes `text` (UTF-8) to `channel` in `pieces` separate writes of about equal size.
    static void writeInPieces(FileChannel channel, String text, int pieces) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int piece = 0; piece < pieces; piece++) {
            int from = bytes.length * piece / pieces, to = bytes.length * (piece + 1) / pieces;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from);
            while (buffer.hasRemaining()) channel.write(buffer);
        }
    }

    static long brokenLines(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> !WHOLE_LINE.matcher(line).matches()).count();
        }
    }

    /* ---------------------------------------------------------------------------------
     * The pitfall: a FileLock does not guard the threads of one JVM.
     *
     * The operating system grants file locks to processes, not threads, so the JVM keeps
     * one table of the locks it holds. A second thread of the same JVM asking for an
     * overlapping lock does not wait for the first: it gets an
     * `OverlappingFileLockException` at once. Inside one JVM, threads need an ordinary
     * lock (`synchronized`, `ReentrantLock`) as well; across JVMs, the FileLock. Code
     * that is called from several threads AND several processes needs both, in that
     * order: first the thread lock, then the file lock.
     * --------------------------------------------------------------------------------- */
    static void fileLockIsPerJvm(Path scratch) throws IOException, InterruptedException {
        section("Pitfall: a FileLock is held by the whole JVM, not by a thread");
        Path file = scratch.resolve("locked.txt");
        try (FileChannel first = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileChannel second = FileChannel.open(file, StandardOpenOption.WRITE);
             FileLock held = first.lock()) {
            log("holding a FileLock on " + file.getFileName() + ", valid " + held.isValid());
            Thread other = Thread.ofPlatform().name("other-thread").start(() -> {
                try (FileLock mine = second.lock()) {
                    log("got the lock too (this should not happen)");
                } catch (OverlappingFileLockException e) {
                    log("lock() on a second channel threw " + e.getClass().getSimpleName() + " at once: it did not wait");
                } catch (IOException e) {
                    log("lock() failed: " + e);
                }
            });
            joinOrGiveUp(other);
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pitfall: a FileLock is held by the whole JVM, not by a thread ==
     *   3481 ms  main             holding a FileLock on locked.txt, valid true
     *   3482 ms  other-thread     lock() on a second channel threw OverlappingFileLockException at once: it did not wait
     */

    /* ---------------------------------------------------------------------------------
     * Two more pitfalls: closing any channel unlocks, and locks are only advisory.
     *
     * On Linux and macOS the JVM takes a FileLock with fcntl(), a POSIX record lock, and
     * such a lock belongs to the process and the file, not to the channel: closing ANY
     * descriptor of the file releases every lock the process holds on it. So closing a
     * second channel to the file, one we never locked, frees the lock we hold through the
     * first, and `FileLock.isValid()` goes on saying true (FileLock's javadoc warns of
     * this). In a program where each call opens and closes its own channel, one thread's
     * close can unlock the line another thread is writing. The cure: close under the same
     * thread lock that guards the writes, or keep one channel open for the JVM's life.
     *
     * And a FileLock stops only those who ask for it: the locks are advisory. A process
     * that writes without calling lock() is not kept out at all. A child JVM shows both:
     * it tries to lock the file (tryLock, which does not wait), then appends a line
     * without any lock.
     * --------------------------------------------------------------------------------- */
    static void closingUnlocks(Path scratch) throws IOException, InterruptedException {
        section("Pitfall: closing any channel to a file releases the JVM's locks on it; locks are advisory");
        Path file = scratch.resolve("advisory.txt");
        try (FileChannel locked = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            FileLock held = locked.lock();
            log("we hold a FileLock through one channel; a child JVM tries the file:");
            askChildAboutTheLock(file);
            FileChannel.open(file, StandardOpenOption.READ).close(); // another channel, never locked: just closed
            log("we opened and closed a second channel to the file; our lock's isValid() still says " + held.isValid());
            log("the child tries again:");
            askChildAboutTheLock(file);
            held.release();
        }
        log("the file now holds " + Files.readAllLines(file).size() + " lines, written by a process that held no lock");
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pitfall: closing any channel to a file releases the JVM's locks on it; locks are advisory ==
     *   3483 ms  main             we hold a FileLock through one channel; a child JVM tries the file:
     *   3540 ms  main             child: tryLock() returned null: the parent holds the lock
     *   3542 ms  main             child: appended a line without asking for the lock: nothing stopped me
     *   3547 ms  main             we opened and closed a second channel to the file; our lock's isValid() still says true
     *   3547 ms  main             the child tries again:
     *   3600 ms  main             child: tryLock() got the lock: nobody holds it any more
     *   3600 ms  main             child: appended a line without asking for the lock: nothing stopped me
     *   3606 ms  main             the file now holds 2 lines, written by a process that held no lock
     */

    static void askChildAboutTheLock(Path file) throws IOException, InterruptedException {
        Process child = startChild("ignore-the-lock", file.toString());
        killAfter(child, Duration.ofSeconds(30));
        try (BufferedReader reply = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reply.readLine()) != null; ) log("child: " + line);
        } finally {
            endChild(child);
        }
    }

    static void ignoreTheLock(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            try (FileLock mine = channel.tryLock()) {
                System.out.println(mine == null ? "tryLock() returned null: the parent holds the lock"
                        : "tryLock() got the lock: nobody holds it any more");
            }
            channel.write(ByteBuffer.wrap("written without asking for the lock\n".getBytes(StandardCharsets.UTF_8)));
            System.out.println("appended a line without asking for the lock: nothing stopped me");
        }
    }

    /* ---------------------------------------------------------------------------------
     * What each channel costs: messages per second.
     *
     * The in-process queue passes a reference; the pipe and the socket turn every
     * message into bytes, copy them into the kernel and out again, and parse them back.
     * Same small message [number, "tick"] for the two byte channels; for the queue, the
     * boxed number alone. The pipe and socket figures were measured in the sections
     * above, from the first message of the burst to the last. The child was a fresh JVM,
     * so part of its burst ran before the JIT had compiled the sending code: longer
     * bursts (the full run) give higher figures. The queue across processes pays more:
     * every item crosses two sockets (producer to broker, broker to consumer), and each
     * take is a round trip, request then reply, with the consumer idle in between.
     * --------------------------------------------------------------------------------- */
    static void throughput() throws InterruptedException {
        section("Throughput: messages per second, on this machine");
        int count = quick ? 500_000 : 3_000_000;
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1024);
        Thread producer = Thread.ofPlatform().name("queue-producer").start(() -> {
            try {
                for (int i = 0; i < count; i++) queue.put(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Integer item = queue.poll(10, TimeUnit.SECONDS);
            if (item == null || item != i) throw new IllegalStateException("queue lost message " + i);
        }
        double queueRate = count / ((System.nanoTime() - begin) / 1e9);
        joinOrGiveUp(producer);
        messagesPerSecond.put("in-process queue", queueRate);
        messagesPerSecond.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(entry -> log(String.format("%-22s %,14.0f messages/s%s", entry.getKey(), entry.getValue(),
                        entry.getValue() == queueRate ? ""
                                : String.format("  (%.0fx slower than the queue)", queueRate / entry.getValue()))));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Throughput: messages per second, on this machine ==
     *   3672 ms  main             in-process queue            8,859,812 messages/s
     * ? 3673 ms  main             Unix domain socket            727,751 messages/s  (12x slower than the queue)
     * ? 3673 ms  main             pipe (child's stdout)         485,439 messages/s  (18x slower than the queue)
     *   3673 ms  main             queue across processes         25,133 messages/s  (353x slower than the queue)
     */

    static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 06`. Stuck? `./jbang hint 6.1` (again for more).
     * ================================================================================= */

    // Exercise 6.1: a work queue with several producers and consumers, and a clean end.
    //
    // Start one thread per element of `producers`; producer i puts every item of
    // `producers.get(i)`, in order, into one queue that holds at most `capacity` items
    // (a producer waits while it is full). Start `consumers` threads that take items and
    // call `handle.accept(item)` for each. Make every thread with `threads.newThread(...)`
    // (then start it). Every item must be handled exactly once. Return once every item is
    // handled and every thread you started has ended: consumers cannot know by
    // themselves when the work is over, so tell each of them.
    static void workQueue(List<? extends Iterable<String>> producers, int consumers, int capacity,
                          Consumer<String> handle, ThreadFactory threads) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 6.1 is not done yet: see its comment");
    }

    // Exercise 6.2: request and reply with a child JVM, over a Unix domain socket.
    //
    // Two sides, both yours. `askChild` binds a server socket (UNIX family) to a path in
    // a new temporary folder, starts a child JVM running this class with the arguments
    // `reply-server <that path>` (see `startChild` above), accepts its connection, then
    // for each request in order: sends it, and reads the child's reply. It returns the
    // replies in the order of the requests. Before returning it closes the connection,
    // waits until the child has ended (ending it if it does not), and deletes the socket
    // file and the folder. Requests can hold any characters, newlines included, and be up
    // to a megabyte long.
    //
    // `replyServer` is the child: it connects to `socket`, and answers each request with
    // `reply(request)` until the parent closes the connection; then it returns.
    static List<String> askChild(List<String> requests) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("exercise 6.2 is not done yet: see its comment");
    }

    static void replyServer(Path socket) throws IOException {
        throw new UnsupportedOperationException("exercise 6.2 is not done yet: see its comment");
    }

    // The child's answer to one request (given: use it as it is).
    static String reply(String request) {
        return "pid " + ProcessHandle.current().pid() + " read " + request.length() + " chars: " + request;
    }

    // Exercise 6.3: whole lines from many threads in many processes.
    //
    // Append each of `lines` to `file` (create it if needed), each followed by '\n':
    // open it with `FileChannel.open(file, ...)` and write each line with
    // `writeInPieces(channel, line + "\n", PIECES_PER_LINE)`. Several threads of several
    // JVMs call `appendLines` on the same file at the same time, many short calls each: no
    // other caller may put bytes inside one of your lines, and no line may be lost or
    // overwritten. Keep the other processes out with a FileLock: a writer may crash in the
    // middle of a call, and its lock must not outlive it. (Hint: the sections on
    // FileLock's pitfalls.)
    static void appendLines(Path file, List<String> lines) throws IOException {
        throw new UnsupportedOperationException("exercise 6.3 is not done yet: see its comment");
    }
}

// See also: lesson 01 (threads, join, and where exceptions go), lesson 07
// (shared memory between processes), lesson 05 (starting and ending child JVMs), and
// lesson 03 for the locks used inside one JVM.
