///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Race

/* ------------------------------------------------------------------------------------
 * Lesson 03: race conditions.
 *
 * What goes wrong when threads share data, why, and what does each fix cost?
 *
 *     ./jbang lessons/03_race.java       run this lesson (add --quick for a short run)
 *     ./jbang check 03                   check your answers to the exercises at the end
 *     ./jbang hint 3.1                   a hint for exercise 3.1, one layer per call
 *
 * A race condition is a bug whose outcome depends on how the threads happen to
 * interleave. Each demo below shows the broken version first, explains the outcome by
 * the interleaving that produced it, then fixes it and measures what the fix costs.
 * Every number this lesson prints was measured just now, on your machine: run it twice
 * and the numbers change, which is rather the point.
 * ------------------------------------------------------------------------------------ */

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BiConsumer;
import java.util.function.BiFunction;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.IntConsumer;
import java.util.function.IntFunction;
import java.util.function.Supplier;

class Race {

    static final long START = System.nanoTime();
    static final String VISIBILITY_CHILD = "--visibility-child";
    static boolean quick;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, so you can see the threads interleave.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        if (List.of(args).contains(VISIBILITY_CHILD)) {
            visibilityChild();
            return;
        }
        quick = List.of(args).contains("--quick");
        twoThreadsWalkIntoABar();
        lostUpdates();
        checkThenAct();
        visibility();
        everyStandardFix();
        immutability();
        safePublication();
        compoundOperations();
        deadlock();
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 03");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * Two threads walk into a bar.
     *
     * The notebook this course grew from told the joke by shuffling a list. We tell it
     * for real: one thread per word, each adding its word to a shared sentence. We start
     * the threads in sentence order and hold them at a start gate (a `CountDownLatch`)
     * until all nine are ready, then open it. From there nothing decides who goes first:
     * the operating system's scheduler does, differently every run.
     * --------------------------------------------------------------------------------- */
    static final List<String> PUNCHLINE = List.of("I", "don't", "want", "any", "race", "conditions", "like", "last", "time");

    static void twoThreadsWalkIntoABar() throws InterruptedException {
        section("Two threads walk into a bar");
        int runs = quick ? 4 : 6;
        int inOrder = 0;
        Set<List<String>> orders = new HashSet<>();
        for (int run = 1; run <= runs; run++) {
            List<String> spoken = tellTheJoke(run == 1);
            orders.add(spoken);
            if (spoken.equals(PUNCHLINE)) inOrder++;
            String sentence = String.join(" ", spoken).toLowerCase();
            log("run " + run + ": Hey! " + Character.toUpperCase(sentence.charAt(0)) + sentence.substring(1) + "!");
        }
        log(String.format("in order in %d of %d runs; %d different orders", inOrder, runs, orders.size()));
        if (inOrder == runs) {
            log("every run came out in order this time: nothing made it so, the scheduler just happened to");
        }
    }

    // One run of the joke. On the first run each thread also logs its word, so you see
    // which thread said what, and when.
    static List<String> tellTheJoke(boolean showThreads) throws InterruptedException {
        Queue<String> spoken = new ConcurrentLinkedQueue<>();
        CountDownLatch ready = new CountDownLatch(PUNCHLINE.size());
        CountDownLatch go = new CountDownLatch(1);
        List<Thread> speakers = new ArrayList<>();
        for (String word : PUNCHLINE) {
            speakers.add(Thread.ofPlatform().name("says-" + word).start(() -> {
                ready.countDown();
                try {
                    if (!go.await(5, TimeUnit.SECONDS)) return;
                } catch (InterruptedException e) {
                    return;
                }
                spoken.add(word);
                if (showThreads) log(word);
            }));
        }
        ready.await(5, TimeUnit.SECONDS);
        go.countDown();
        for (Thread speaker : speakers) speaker.join(5_000);
        return List.copyOf(spoken);
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Two threads walk into a bar ==
     * ?     62 ms  says-time        time
     * ?     65 ms  says-don't       don't
     * ?     65 ms  says-I           I
     *   ...
     * ?    212 ms  main             run 1: Hey! Time i don't want any race conditions like last!
     * ?    214 ms  main             run 2: Hey! I time don't want any race like conditions last!
     * ?    216 ms  main             run 3: Hey! I don't time want any race like conditions last!
     * ?    218 ms  main             run 4: Hey! Time i don't want any race like conditions last!
     *      218 ms  main             in order in 0 of 4 runs; 4 different orders
     */

    /* ---------------------------------------------------------------------------------
     * Lost updates: count++ is three steps.
     *
     * `count++` reads the field, adds one, and writes the field back. Nothing stops a
     * second thread from reading between the first thread's read and its write. Then both
     * write the same value, and one increment is gone: a "lost update". We run 4 threads
     * that each increment a shared field (on two cores, two run at once and the others
     * are preempted mid-increment), and compare the result with what it should be.
     *
     * A race need not show itself on any given run. If no update is lost we say so and
     * try again, a bounded number of times, instead of claiming what we did not see.
     *
     * The JIT compiler makes it rarer still. A plain field's in-between values are
     * promised to no other thread (JLS 17.4), so once C2 has compiled the loop it may keep
     * `count` in a register and write it back once, at the end: a million increments
     * become one add, and two threads rarely overlap in it. (Run with
     * `-XX:TieredStopAtLevel=1`, C1 only, and millions are lost.) So the demo reads and
     * writes the field with opaque accesses (a VarHandle's getOpaque and setOpaque): each
     * one really happens, in order, but the two are still two steps, and nothing makes
     * them one. That is count++ as written, with the JIT's shortcut taken away.
     * --------------------------------------------------------------------------------- */
    static final class PlainCounter implements Tally {
        long count;
        public void increment() { count++; }
        public long total() { return count; }
    }

    static final class OpaqueCounter implements Tally {
        static final VarHandle COUNT = fieldHandle(OpaqueCounter.class, "count", long.class);

        long count;
        public void increment() { COUNT.setOpaque(this, (long) COUNT.getOpaque(this) + 1); } // read, add, write
        public long total() { return (long) COUNT.getOpaque(this); }
    }

    static void lostUpdates() throws InterruptedException {
        section("Lost updates: count++ from 4 threads");
        int threads = 4;
        int perThread = quick ? 1_000_000 : 4_000_000;
        long expected = (long) threads * perThread;
        int attempts = 5;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            OpaqueCounter counter = new OpaqueCounter();
            countOnThreads(threads, perThread, counter::increment);
            long lost = expected - counter.total();
            log(String.format("expected %,d, counted %,d: lost %,d of %,d increments (%.3f%%)",
                    expected, counter.total(), lost, expected, 100.0 * lost / expected));
            if (lost > 0) break;
            log(attempt < attempts ? "no update was lost this time: trying again"
                    : "no update was lost in " + attempts + " attempts: the race is still there, it just did not strike");
        }
        forcedLostUpdate();
    }

    // The handle through which a demo reads and writes one of its fields opaquely.
    static VarHandle fieldHandle(Class<?> owner, String field, Class<?> type) {
        try {
            return MethodHandles.lookup().findVarHandle(owner, field, type);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    static long countOnThreads(int threads, int perThread, Runnable increment) throws InterruptedException {
        return runOnThreads("incrementer-", threads, perThread, increment);
    }

    // Starts `threads` platform threads behind a start gate, each running `task` `times`
    // times, and waits for all of them. Returns the wall time in nanoseconds.
    static long runOnThreads(String role, int threads, int times, Runnable task) throws InterruptedException {
        CyclicBarrier startGate = new CyclicBarrier(threads);
        List<Thread> workers = new ArrayList<>();
        long begin = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            workers.add(Thread.ofPlatform().name(role + t).start(() -> {
                if (!passGate(startGate)) return;
                for (int i = 0; i < times; i++) task.run();
            }));
        }
        for (Thread worker : workers) worker.join();
        return System.nanoTime() - begin;
    }

    static boolean passGate(CyclicBarrier gate) {
        try {
            gate.await(5, TimeUnit.SECONDS);
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    /* ---------------------------------------------------------------------------------
     * The interleaving that loses an update, forced.
     *
     * Which interleavings happened above we cannot see: they are over in nanoseconds. So
     * we force the losing one, step by step, with latches: adder-A reads, adder-B reads,
     * adder-A writes, adder-B writes. The values below are the ones the two threads
     * really read and wrote.
     * --------------------------------------------------------------------------------- */
    static void forcedLostUpdate() throws InterruptedException {
        PlainCounter shared = new PlainCounter();
        String[][] timeline = new String[2][4];
        CountDownLatch aRead = new CountDownLatch(1), bRead = new CountDownLatch(1), aWrote = new CountDownLatch(1);
        Thread adderA = Thread.ofPlatform().name("adder-A").start(() -> {
            long seen = shared.count;                                           // step 1
            timeline[0][0] = "read " + seen;
            aRead.countDown();
            await(bRead);
            shared.count = seen + 1;                                            // step 3
            timeline[0][2] = "write " + seen + "+1=" + (seen + 1);
            aWrote.countDown();
        });
        Thread adderB = Thread.ofPlatform().name("adder-B").start(() -> {
            await(aRead);
            long seen = shared.count;                                           // step 2
            timeline[1][1] = "read " + seen;
            bRead.countDown();
            await(aWrote);
            shared.count = seen + 1;                                            // step 4
            timeline[1][3] = "write " + seen + "+1=" + (seen + 1);
        });
        adderA.join(5_000);
        adderB.join(5_000);
        log("one lost update, step by step (forced with latches):");
        System.out.println(String.format("%27s%-14s%-14s%-14s%-14s", "", "step 1", "step 2", "step 3", "step 4").stripTrailing());
        for (int row = 0; row < 2; row++) {
            StringBuilder line = new StringBuilder(String.format("%27s", (row == 0 ? "adder-A" : "adder-B") + "  "));
            for (String cell : timeline[row]) line.append(String.format("%-14s", cell == null ? "" : cell));
            System.out.println(line.toString().stripTrailing());
        }
        log("two increments ran, and count is " + shared.count + ": adder-B wrote over adder-A's write");
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Lost updates: count++ from 4 threads ==
     *      363 ms  main             expected 4,000,000, counted 3,987,421: lost 12,579 of 4,000,000 increments (0.314%)
     *      400 ms  main             one lost update, step by step (forced with latches):
     *                              step 1        step 2        step 3        step 4
     *                     adder-A  read 0                      write 0+1=1
     *                     adder-B                read 0                      write 0+1=1
     *      402 ms  main             two increments ran, and count is 1: adder-B wrote over adder-A's write
     */

    /* ---------------------------------------------------------------------------------
     * Check-then-act: an overdrawn account.
     *
     * The same shape, one level up. `withdraw` checks that the balance covers the amount,
     * asks a (simulated, 1 ms) fraud service to approve, then takes the money. Two
     * withdrawals of 100 from an account holding 100 should succeed once. But both can
     * check before either takes:
     *
     *     withdraw-1  check 100 >= 100: ok   ...approve...   balance = 100 - 100 =    0
     *     withdraw-2     check 100 >= 100: ok   ...approve...   balance =   0 - 100 = -100
     *
     * The check was true when it ran and false by the time we acted on it. The fix is to
     * make check and act one atomic step: hold a lock across both. The cost: the slow
     * approval now happens under the lock, so withdrawals from one account queue up.
     * --------------------------------------------------------------------------------- */
    static class Wallet {
        long balance;

        Wallet(long balance) { this.balance = balance; }

        boolean withdraw(long amount) {
            if (balance < amount) return false;
            approve();
            balance -= amount;
            return true;
        }

        static void approve() {
            try {
                Thread.sleep(1); // the fraud service: latency, not ordering
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    static final class LockedWallet extends Wallet {
        LockedWallet(long balance) { super(balance); }

        @Override
        synchronized boolean withdraw(long amount) {
            return super.withdraw(amount);
        }
    }

    static void checkThenAct() throws InterruptedException {
        section("Check-then-act: two withdrawals that both saw enough money");
        int rounds = quick ? 10 : 30;
        overdrawRounds("unlocked", rounds, () -> new Wallet(100));
        overdrawRounds("synchronized", rounds, () -> new LockedWallet(100));
    }

    static void overdrawRounds(String kind, int rounds, Supplier<Wallet> newWallet) throws InterruptedException {
        int overdrawn = 0;
        long lowest = 100;
        long begin = System.nanoTime();
        for (int round = 0; round < rounds; round++) {
            Wallet wallet = newWallet.get();
            runOnThreads("withdraw-", 2, 1, () -> wallet.withdraw(100));
            if (wallet.balance < 0) overdrawn++;
            lowest = Math.min(lowest, wallet.balance);
        }
        long millis = (System.nanoTime() - begin) / 1_000_000;
        log(String.format("%-12s overdrawn in %d of %d rounds (lowest balance %d), %,d ms",
                kind, overdrawn, rounds, lowest, millis));
        if (kind.equals("unlocked") && overdrawn == 0) {
            log("no round was overdrawn this time: both withdrawals never overlapped, which nothing guarantees");
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Check-then-act: two withdrawals that both saw enough money ==
     *      449 ms  main             unlocked     overdrawn in 9 of 10 rounds (lowest balance -100), 45 ms
     *      634 ms  main             synchronized overdrawn in 0 of 10 rounds (lowest balance 0), 183 ms
     */

    /* ---------------------------------------------------------------------------------
     * Visibility: a stop flag nobody sees.
     *
     * A worker loops `while (!stop)`; main sets `stop = true`. With a plain field the
     * worker may never stop: the JIT compiler may read `stop` once, keep it in a
     * register, and loop forever, and the Java memory model allows exactly that, because
     * nothing connects main's write to the worker's reads.
     *
     * Happens-before is that connection. If action A happens-before action B, B sees
     * everything A (and what came before A) wrote. The edges: a thread's actions in
     * program order; unlocking a monitor before every later lock of it; a write of a
     * `volatile` field before every later read of it; `start()` before the thread's first
     * action; a thread's last action before `join()` returns; and whatever the
     * java.util.concurrent classes document (a queue's put before its take, a latch's
     * countDown before the await it releases). No edge, no promise: you may see the new
     * value, an old one, or, for a `long` without `volatile`, half of each.
     *
     * A spinning thread cannot be stopped from outside, so we run this demo in a child
     * JVM, wait for it at most a few seconds, and end it.
     * --------------------------------------------------------------------------------- */
    static boolean plainStop;
    static volatile boolean volatileStop;

    static void visibility() throws Exception {
        section("Visibility: a stop flag without volatile");
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Race.class.getName(), VISIBILITY_CHILD);
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            log("started child JVM " + child.pid() + " for the demo");
            Thread relay = Thread.ofPlatform().name("child-output").start(() -> {
                try (BufferedReader lines = new BufferedReader(
                        new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line; (line = lines.readLine()) != null; ) log(line);
                } catch (Exception e) {
                    // the child ended
                }
            });
            if (!child.waitFor(15, TimeUnit.SECONDS)) log("the child did not finish in 15 s: ending it");
            relay.join(2_000);
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
    }

    // The child's role: run one worker on each kind of flag. The workers are daemon
    // threads, so one that never sees its flag does not keep the child alive.
    static void visibilityChild() throws InterruptedException {
        Duration warmUp = Duration.ofMillis(300);
        Duration patience = Duration.ofMillis(1_000);
        long[] plainSpins = new long[1];
        Thread plainWorker = Thread.ofPlatform().name("plain-worker").daemon().start(() -> {
            long spins = 0;
            while (!plainStop) spins++;
            plainSpins[0] = spins;
        });
        Thread.sleep(warmUp); // let the loop run long enough for the JIT to compile it
        plainStop = true;
        long setAt = System.nanoTime();
        boolean saw = plainWorker.join(patience);
        System.out.println(saw
                ? String.format("plain flag: the worker stopped %.1f ms after stop was set (this time; nothing promised it)",
                        (System.nanoTime() - setAt) / 1e6)
                : String.format("plain flag: the worker is still spinning %,d ms after stop was set: it never saw it",
                        patience.toMillis()));

        Thread volatileWorker = Thread.ofPlatform().name("volatile-worker").daemon().start(() -> {
            long spins = 0;
            while (!volatileStop) spins++;
            plainSpins[0] = spins;
        });
        Thread.sleep(warmUp);
        volatileStop = true;
        setAt = System.nanoTime();
        saw = volatileWorker.join(patience);
        System.out.println(saw
                ? String.format("volatile flag: the worker stopped %.3f ms after stop was set", (System.nanoTime() - setAt) / 1e6)
                : "volatile flag: the worker did not stop within " + patience.toMillis() + " ms (an overloaded machine?)");
        System.out.flush();
        Runtime.getRuntime().halt(0); // end now: do not let a spinning daemon delay the exit
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Visibility: a stop flag without volatile ==
     *      716 ms  main             started child JVM 31553 for the demo
     * ?   2220 ms  child-output     plain flag: the worker is still spinning 1,000 ms after stop was set: it never saw it
     *     2528 ms  child-output     volatile flag: the worker stopped 0.702 ms after stop was set
     */

    /* ---------------------------------------------------------------------------------
     * Every standard fix, and what it costs.
     *
     * Two broken counters first: the plain field from above, and a `volatile` one.
     * `volatile` fixes visibility, not atomicity: `count++` on it is still read, add,
     * write, and still loses updates. Then the fixes:
     *   - `synchronized`: one thread at a time in the increment (a monitor lock);
     *   - `ReentrantLock`: the same, as an object, with tryLock and timeouts;
     *   - `AtomicLong`: one hardware compare-and-swap (or fetch-and-add) instruction;
     *   - `LongAdder`: several cells, so contending threads rarely hit the same one;
     *     summed when read;
     *   - confinement: each thread counts in its own local variable, and we add the
     *     results after `join` (which makes them visible to us). Nothing is shared, so
     *     nothing needs a lock.
     * Each runs 4 threads, after a warm-up; the time is wall time per increment. A broken
     * counter that happens to lose nothing gets more tries, for at most 2 s.
     * --------------------------------------------------------------------------------- */
    interface Tally {
        void increment();
        long total();
    }

    static final class VolatileCounter implements Tally {
        volatile long count;
        public void increment() { count++; }
        public long total() { return count; }
    }

    static final class SynchronizedCounter implements Tally {
        long count;
        public synchronized void increment() { count++; }
        public synchronized long total() { return count; }
    }

    static final class LockCounter implements Tally {
        final ReentrantLock lock = new ReentrantLock();
        long count;

        public void increment() {
            lock.lock();
            try {
                count++;
            } finally {
                lock.unlock();
            }
        }

        public long total() {
            lock.lock();
            try {
                return count;
            } finally {
                lock.unlock();
            }
        }
    }

    static final class AtomicCounter implements Tally {
        final AtomicLong count = new AtomicLong();
        public void increment() { count.incrementAndGet(); }
        public long total() { return count.get(); }
    }

    static final class AdderCounter implements Tally {
        final LongAdder count = new LongAdder();
        public void increment() { count.increment(); }
        public long total() { return count.sum(); }
    }

    record Variant(String name, boolean atomic, Supplier<Tally> make) {}

    static void everyStandardFix() throws InterruptedException {
        section("Every standard fix, broken first, and what each costs");
        int threads = 4;
        int perThread = quick ? 500_000 : 2_000_000;
        long expected = (long) threads * perThread;
        List<Variant> variants = List.of(
                new Variant("plain field", false, PlainCounter::new),
                new Variant("volatile field", false, VolatileCounter::new),
                new Variant("synchronized", true, SynchronizedCounter::new),
                new Variant("ReentrantLock", true, LockCounter::new),
                new Variant("AtomicLong", true, AtomicCounter::new),
                new Variant("LongAdder", true, AdderCounter::new));
        log(String.format("%d threads x %,d increments each, on %d cores:", threads, perThread,
                Runtime.getRuntime().availableProcessors()));
        for (Variant variant : variants) {
            countOnThreads(threads, perThread / 10, variant.make().get()::increment); // warm-up
            // A broken counter gets more tries (for at most 2 s) to show its race, on a
            // machine too busy to run our threads side by side: we report what we saw.
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int attempt = 1; ; attempt++) {
                Tally tally = variant.make().get();
                long nanos = countOnThreads(threads, perThread, tally::increment);
                if (variant.atomic() || tally.total() != expected || System.nanoTime() > giveUpAt) {
                    report(variant.name() + (attempt > 1 ? " (try " + attempt + ")" : ""), variant.atomic(),
                            tally.total(), expected, nanos);
                    break;
                }
            }
        }
        confinedCount(threads, perThread / 10); // warm-up
        long[] total = new long[1];
        long nanos = confinedCount(threads, perThread, total);
        report("confinement", true, total[0], expected, nanos);
    }

    static long confinedCount(int threads, int perThread, long... total) throws InterruptedException {
        long[] perThreadCounts = new long[threads];
        List<Thread> workers = new ArrayList<>();
        long begin = System.nanoTime();
        for (int t = 0; t < threads; t++) {
            int index = t;
            workers.add(Thread.ofPlatform().name("confined-" + t).start(() -> {
                long mine = 0; // on this thread's stack: no other thread can see it
                for (int i = 0; i < perThread; i++) mine++;
                perThreadCounts[index] = mine;
            }));
        }
        for (Thread worker : workers) worker.join();
        long sum = 0;
        for (long count : perThreadCounts) sum += count;
        if (total.length > 0) total[0] = sum;
        return System.nanoTime() - begin;
    }

    static void report(String name, boolean atomic, long counted, long expected, long nanos) {
        String verdict = counted != expected ? String.format("lost %,d", expected - counted)
                : atomic ? "exact" : "exact by luck";
        log(String.format("%-23s counted %,9d of %,d  %-13s %5.1f ns per increment",
                name, counted, expected, verdict, (double) nanos / expected));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Every standard fix, broken first, and what each costs ==
     *     2547 ms  main             4 threads x 500,000 increments each, on 2 cores:
     * ?   2590 ms  main             plain field (try 4)     counted 1,623,728 of 2,000,000  lost 376,272    4.5 ns per increment
     * ?   2621 ms  main             volatile field (try 3)  counted 1,584,994 of 2,000,000  lost 415,006    5.1 ns per increment
     *     2655 ms  main             synchronized            counted 2,000,000 of 2,000,000  exact           9.3 ns per increment
     *     2731 ms  main             ReentrantLock           counted 2,000,000 of 2,000,000  exact          14.8 ns per increment
     *     2815 ms  main             AtomicLong              counted 2,000,000 of 2,000,000  exact          30.8 ns per increment
     *     2870 ms  main             LongAdder               counted 2,000,000 of 2,000,000  exact           9.0 ns per increment
     *     2886 ms  main             confinement             counted 2,000,000 of 2,000,000  exact           1.2 ns per increment
     */

    /* ---------------------------------------------------------------------------------
     * Immutability: a value that cannot be half-updated.
     *
     * A thermometer keeps a reading in Celsius and in Fahrenheit; the two must agree. A
     * writer updates both fields, a reader reads both. Even with both fields `volatile`,
     * the reader can run between the writer's two writes and see a new Celsius with an
     * old Fahrenheit: a torn read. Volatile makes each field visible, not the pair
     * atomic.
     *
     * The fix: make the reading an immutable record and replace it whole, through one
     * volatile reference. A reader gets either the old reading or the new one, never a
     * mix, and needs no lock. The cost is a new object per update.
     * --------------------------------------------------------------------------------- */
    static final class MutableReading {
        volatile int celsius;
        volatile int fahrenheit = 32;
    }

    record Reading(int celsius, int fahrenheit) {}

    static volatile Reading currentReading = new Reading(0, 32);

    static void immutability() throws InterruptedException {
        section("Immutability: readings that cannot tear");
        int updates = quick ? 1_000_000 : 2_000_000;
        MutableReading mutable = new MutableReading();
        long[] mutableResult;
        int tries = 0;
        long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
        do { // a race may not show at once: more tries, for at most 2 s
            tries++;
            mutableResult = readWhileWriting(updates,
                    celsius -> { mutable.celsius = celsius; mutable.fahrenheit = celsius * 9 / 5 + 32; },
                    () -> {
                        int celsius = mutable.celsius;
                        int fahrenheit = mutable.fahrenheit;
                        return fahrenheit == celsius * 9 / 5 + 32;
                    });
        } while (mutableResult[0] == 0 && System.nanoTime() < giveUpAt);
        long[] immutableResult = readWhileWriting(updates,
                celsius -> currentReading = new Reading(celsius, celsius * 9 / 5 + 32),
                () -> {
                    Reading reading = currentReading; // read the reference once
                    return reading.fahrenheit() == reading.celsius() * 9 / 5 + 32;
                });
        log(String.format("mutable, two volatile fields: %,d of %,d reads torn; %.1f ns per update%s",
                mutableResult[0], mutableResult[1], (double) mutableResult[2] / updates,
                tries > 1 ? " (try " + tries + ")" : ""));
        log(String.format("immutable record: %,d of %,d reads torn; %.1f ns per update",
                immutableResult[0], immutableResult[1], (double) immutableResult[2] / updates));
        if (mutableResult[0] == 0) {
            log("no read tore in " + tries + " tries: the two threads barely overlapped, which nothing promises");
        }
    }

    // One writer makes `updates` updates while one reader reads until the writer is
    // done. Returns {torn reads, reads, writer nanoseconds}.
    static long[] readWhileWriting(int updates, IntConsumer write,
                                   BooleanSupplier consistent) throws InterruptedException {
        AtomicInteger phase = new AtomicInteger(); // 0 starting, 1 reading, 2 done
        CyclicBarrier startGate = new CyclicBarrier(2);
        long[] result = new long[3];
        Thread reader = Thread.ofPlatform().name("reader").start(() -> {
            if (!passGate(startGate)) return;
            phase.compareAndSet(0, 1);
            long torn = 0, reads = 0;
            while (phase.get() != 2) {
                reads++;
                if (!consistent.getAsBoolean()) torn++;
            }
            result[0] = torn;
            result[1] = reads;
        });
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            if (!passGate(startGate)) return;
            // Wait (bounded) until the reader is reading, so the two really overlap.
            for (long spins = 0; phase.get() == 0 && spins < 100_000_000L; spins++) Thread.onSpinWait();
            long begin = System.nanoTime();
            for (int i = 1; i <= updates; i++) write.accept(i % 1000);
            result[2] = System.nanoTime() - begin;
            phase.set(2);
        });
        writer.join();
        reader.join();
        return result;
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Immutability: readings that cannot tear ==
     * ?   3002 ms  main             mutable, two volatile fields: 21,587 of 41,281 reads torn; 7.7 ns per update
     *     3003 ms  main             immutable record: 0 of 10,465,924 reads torn; 56.6 ns per update
     */

    /* ---------------------------------------------------------------------------------
     * Safe publication: a reference seen before its fields.
     *
     * To publish an object is to make it reachable by another thread: to store its
     * reference where that thread will look. `shared = new Box(42)` reads as "build the
     * box, then store it", but a plain store of the reference is ordered with nothing:
     * no happens-before edge links the constructor's writes to the reader's reads
     * (JLS 17.4.5). A reader may find the reference and still see the box's fields at
     * their defaults (0, null, false). That is an unsafe publication. The JIT may move
     * the field's store after the reference's store, and ARM and POWER processors may
     * make the two visible to another core in that order.
     *
     * We try it. A writer publishes one new box after another through a plain reference;
     * a reader, spinning on the other core, checks the value of each box the moment it
     * appears, and counts those that still hold 0. The writer waits for that check before
     * it publishes the next box (one round per box, as jcstress does it). (As in the
     * count++ demo, both sides access the reference opaquely, so the JIT cannot merge the
     * stores or hoist the read out of the spin. Opaque orders nothing else: the
     * publication is as unsafe as a plain one.) Two control rows do the same with the
     * fixes below. How many boxes the reader saw says how real the attempt was.
     *
     * On x86 expect 0 in every row: x86 does not reorder a store with an earlier store,
     * and HotSpot's JIT, in practice, does not swap these two. A 0 here is the platform
     * being kind, not the code being right: the same code may fail on an ARM laptop, or
     * after some other JIT's optimization.
     *
     * Final fields are the exception (JLS 17.5). Once the constructor of an object has
     * ended, every thread that gets a reference to it sees its final fields initialized,
     * even through a racy reference, without any synchronization. The condition is that
     * the object was properly constructed: `this` did not escape from the constructor.
     * An object whose fields are all final (a record) is seen whole even when it is shared
     * through a racy reference; what its finals point to, if that changes later, is not.
     *
     * The ways to publish safely, each a guarantee that the plain store lacks:
     *   - a static initializer: `static final Box BOX = new Box(42);` (class
     *     initialization runs under a lock, once, before any thread uses the class);
     *   - a `volatile` field, or an `AtomicReference`;
     *   - a final field of a properly constructed object: what it points to is seen as
     *     it was when that constructor ended;
     *   - a concurrent collection: a put into a ConcurrentHashMap or a BlockingQueue
     *     happens-before the get or take that finds it;
     *   - a lock: the writer stores the reference, and the reader reads it, under the
     *     same lock;
     *   - `start()` and `join()` (lesson 01): what a thread did before start() is seen
     *     by the new thread.
     * --------------------------------------------------------------------------------- */
    interface Boxed {
        int value();
    }

    static final class PlainBox implements Boxed {
        int value; // not final: nothing promises a reader sees it set

        PlainBox(int value) { this.value = value; }
        public int value() { return value; }
    }

    static final class FinalBox implements Boxed {
        final int value; // JLS 17.5: seen set by any thread, once the constructor has ended

        FinalBox(int value) { this.value = value; }
        public int value() { return value; }
    }

    // Where the writer publishes its boxes, and the reader looks for them.
    static final class Shared {
        static final VarHandle PLAIN_BOX = fieldHandle(Shared.class, "plainBox", Boxed.class);

        Boxed plainBox; // read and written opaquely, through PLAIN_BOX
        volatile Boxed volatileBox;
    }

    static void safePublication() throws InterruptedException {
        section("Safe publication: a reference seen before its fields");
        Shared shared = new Shared();
        long[] plain = publishWhileReading("plain reference, plain field", PlainBox::new,
                box -> Shared.PLAIN_BOX.setOpaque(shared, box), () -> (Boxed) Shared.PLAIN_BOX.getOpaque(shared));
        long[] finals = publishWhileReading("plain reference, final field", FinalBox::new,
                box -> Shared.PLAIN_BOX.setOpaque(shared, box), () -> (Boxed) Shared.PLAIN_BOX.getOpaque(shared));
        long[] safe = publishWhileReading("volatile reference, plain field", PlainBox::new,
                box -> shared.volatileBox = box, () -> shared.volatileBox);
        String arch = System.getProperty("os.arch");
        boolean x86 = arch.equals("amd64") || arch.equals("x86_64") || arch.equals("x86");
        if (plain[1] > 0) {
            log(String.format("the reader saw %,d boxes before their value was written: an unsafe publication, caught",
                    plain[1]));
        } else if (plain[0] < 1_000) {
            log(String.format("only %,d boxes checked: the threads barely ran side by side (a busy machine?); this shows little",
                    plain[0]));
        } else if (x86) {
            log("0 on " + arch + ", as expected: x86 makes stores visible in program order,");
            log("and the JIT did not swap these two; the plain row is still wrong:");
            log("the memory model orders nothing there, and on ARM or POWER it can show");
        } else {
            log("0 on " + arch + " this run: the race did not strike; nothing in the plain row's code prevents it");
        }
        if (finals[1] + safe[1] > 0) log("a fixed row saw a box still holding 0: that would be a bug in this JVM");
        escapingThis();
    }

    // One writer publishes new boxes, with values 1, 2, 3..., and after each one waits
    // until the reader has checked it: one round per box, so the reader meets every box
    // the moment it is published. At most `wanted` boxes, for at most `seconds`. Returns
    // {boxes the reader checked, of them still holding 0, boxes published}.
    static long[] publishWhileReading(String name, IntFunction<Boxed> newBox, Consumer<Boxed> publish,
                                      Supplier<Boxed> read) throws InterruptedException {
        int wanted = quick ? 100_000 : 1_000_000;
        long seconds = quick ? 1 : 5;
        publish.accept(null);
        AtomicBoolean done = new AtomicBoolean();
        AtomicInteger checked = new AtomicInteger();
        CyclicBarrier startGate = new CyclicBarrier(2);
        long[] result = new long[3];
        Thread reader = Thread.ofPlatform().name("reader").start(() -> {
            if (!passGate(startGate)) return;
            Boxed last = null;
            int found = 0;
            long unset = 0;
            while (!done.get()) {
                Boxed seen = read.get();
                if (seen == null || seen == last) {
                    Thread.onSpinWait();
                    continue;
                }
                if (seen.value() == 0) unset++; // the reference arrived before the value
                last = seen;
                checked.set(++found); // tells the writer: next box, please
            }
            result[0] = found;
            result[1] = unset;
        });
        Thread writer = Thread.ofPlatform().name("writer").start(() -> {
            if (!passGate(startGate)) return;
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            int value = 0;
            while (value < wanted && System.nanoTime() < giveUpAt) {
                publish.accept(newBox.apply(++value));
                while (checked.get() < value && System.nanoTime() < giveUpAt) Thread.onSpinWait();
            }
            result[2] = value;
            done.set(true);
        });
        writer.join();
        reader.join();
        log(String.format("%-32s the reader saw %,d of %,d boxes; %,d with value 0",
                name + ":", result[0], result[2], result[1]));
        return result;
    }

    /* ---------------------------------------------------------------------------------
     * A final field seen unset: `this` escaping, forced.
     *
     * The final-field promise starts when the constructor ends. A constructor that hands
     * out `this` (registers the object as a listener, starts a thread with it, stores it
     * in a static field) lets another thread see it half-built, finals included. We force
     * that with latches: the constructor registers `this`, a listener thread reads the
     * final `id` at once, and only then does the constructor set it. The fix: construct
     * first, publish after (a static factory method that constructs, then registers).
     * --------------------------------------------------------------------------------- */
    static final class Sensor {
        final int id;

        Sensor(int id, Queue<Sensor> registry, CountDownLatch registered, CountDownLatch listenerLooked) {
            registry.add(this); // `this` escapes here, before id is set
            registered.countDown();
            await(listenerLooked);
            this.id = id;
        }
    }

    static final class RegisteredSensor {
        final int id;

        private RegisteredSensor(int id) { this.id = id; }

        static RegisteredSensor register(int id, Queue<RegisteredSensor> registry) {
            RegisteredSensor sensor = new RegisteredSensor(id);
            registry.add(sensor); // published after its constructor ended
            return sensor;
        }
    }

    static void escapingThis() throws InterruptedException {
        Queue<Sensor> registry = new ConcurrentLinkedQueue<>();
        CountDownLatch registered = new CountDownLatch(1), listenerLooked = new CountDownLatch(1);
        int[] idSeen = {-1};
        Thread listener = Thread.ofPlatform().name("listener").start(() -> {
            await(registered);
            Sensor sensor = registry.peek();
            if (sensor != null) idSeen[0] = sensor.id;
            listenerLooked.countDown();
        });
        Sensor sensor = new Sensor(42, registry, registered, listenerLooked);
        listener.join(5_000);
        log("a constructor registered `this`, then set its final id to " + sensor.id + " (forced with latches):");
        log("the listener, reading it in between, saw id " + idSeen[0]);

        Queue<RegisteredSensor> fixedRegistry = new ConcurrentLinkedQueue<>();
        CountDownLatch fixedRegistered = new CountDownLatch(1);
        int[] fixedIdSeen = {-1};
        Thread fixedListener = Thread.ofPlatform().name("listener").start(() -> {
            await(fixedRegistered);
            RegisteredSensor found = fixedRegistry.peek();
            if (found != null) fixedIdSeen[0] = found.id;
        });
        RegisteredSensor.register(42, fixedRegistry);
        fixedRegistered.countDown();
        fixedListener.join(5_000);
        log("a factory registered it after its constructor ended: the listener saw id " + fixedIdSeen[0]);
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Safe publication: a reference seen before its fields ==
     *     4173 ms  main             plain reference, plain field:    the reader saw 50,132 of 50,132 boxes; 0 with value 0
     *     5193 ms  main             plain reference, final field:    the reader saw 2,172 of 2,172 boxes; 0 with value 0
     *     6224 ms  main             volatile reference, plain field: the reader saw 123 of 123 boxes; 0 with value 0
     * ?   6226 ms  main             0 on amd64, as expected: x86 makes stores visible in program order,
     * ?   6226 ms  main             and the JIT did not swap these two; the plain row is still wrong:
     * ?   6226 ms  main             the memory model orders nothing there, and on ARM or POWER it can show
     *     6232 ms  main             a constructor registered `this`, then set its final id to 42 (forced with latches):
     *     6236 ms  main             the listener, reading it in between, saw id 0
     *     6243 ms  main             a factory registered it after its constructor ended: the listener saw id 42
     */

    /* ---------------------------------------------------------------------------------
     * Compound operations on a ConcurrentHashMap.
     *
     * Every single call on a ConcurrentHashMap is thread-safe. Two calls in a row are not
     * one: between them, another thread can run both of its own. Counting words with
     *
     *     Integer count = counts.get(word);
     *     counts.put(word, count == null ? 1 : count + 1);
     *
     * is count++ again, one level up: two threads get 7, both put 8, and a word is lost.
     * A cache filled with
     *
     *     if (!sessions.containsKey(key)) sessions.put(key, new Session(key));
     *     return sessions.get(key);
     *
     * is check-then-act: two threads both find the key missing, both make a session, and
     * the second put replaces the first, which a caller may already be using. The map
     * itself stays intact: what breaks is our logic between the two calls.
     *
     * The fixes make the compound one call, which the map runs atomically for that key:
     *   - `merge(word, 1, Integer::sum)`: put 1, or add 1 to what is there;
     *   - `compute(word, (w, n) -> n == null ? 1 : n + 1)`: the same, spelled out;
     *   - `computeIfAbsent(key, Session::new)`: make a value only if none is there, once;
     *   - `putIfAbsent(key, value)`: keep the first value put. The value is made before
     *     the call, so a thread that loses made one for nothing (fine for cheap values;
     *     below we look with get first, so only threads that found the key missing make one).
     * The function given to compute, computeIfAbsent or merge runs while the map holds
     * the lock of that key's bin: other threads updating a key in that bin wait for it
     * (reads do not). Keep it short, and never let it touch the same map: the javadoc
     * forbids it, and it can throw IllegalStateException ("Recursive update") or deadlock.
     *
     * Each demo releases 4 threads by a start gate onto the same words, or the same keys.
     * For the words we count what was lost. For the cache we count the sessions made (one
     * per key is right) and the sessions handed out to a caller and then replaced in the
     * map by another: that caller and the next one now hold different sessions for one
     * key. A session takes a moment to make (we spin briefly to stand in for the work).
     * --------------------------------------------------------------------------------- */
    static final List<String> WORDS = List.of("race", "lock", "wait", "join", "fork", "park", "spin", "yield");

    record WordCount(String name, boolean atomic, BiConsumer<Map<String, Integer>, String> count) {}

    static final AtomicLong sessionsMade = new AtomicLong();

    record Session(int key) {
        Session {
            for (int i = 0; i < 100; i++) Thread.onSpinWait(); // the work of making a session
            sessionsMade.incrementAndGet();
        }
    }

    record SessionLookup(String name, BiFunction<Map<Integer, Session>, Integer, Session> lookup) {}

    static void compoundOperations() throws InterruptedException {
        section("Compound operations on a ConcurrentHashMap");
        int threads = 4;
        int perThread = quick ? 250_000 : 1_000_000;
        List<WordCount> wordCounts = List.of(
                new WordCount("get, then put", false, (counts, word) -> {
                    Integer count = counts.get(word);
                    counts.put(word, count == null ? 1 : count + 1);
                }),
                new WordCount("merge", true, (counts, word) -> counts.merge(word, 1, Integer::sum)),
                new WordCount("compute", true, (counts, word) -> counts.compute(word, (w, n) -> n == null ? 1 : n + 1)));
        long expected = (long) threads * perThread;
        for (WordCount variant : wordCounts) {
            long giveUpAt = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
            for (int attempt = 1; ; attempt++) { // a broken variant that lost nothing gets more tries, for at most 2 s
                Map<String, Integer> counts = new ConcurrentHashMap<>();
                runOnThreads("word-counter-", threads, perThread,
                        () -> variant.count().accept(counts, WORDS.get(ThreadLocalRandom.current().nextInt(WORDS.size()))));
                long counted = counts.values().stream().mapToLong(Integer::longValue).sum();
                if (variant.atomic() || counted != expected || System.nanoTime() > giveUpAt) {
                    log(String.format("%-22s counted %,d of %,d words: lost %,d%s", variant.name(), counted, expected,
                            expected - counted, attempt > 1 ? " (try " + attempt + ")" : ""));
                    if (!variant.atomic() && counted == expected) {
                        log("no word was lost in " + attempt + " tries: the race is still there, it just did not strike");
                    }
                    break;
                }
            }
        }

        int keys = 50, rounds = quick ? 40 : 200;
        List<SessionLookup> lookups = List.of(
                new SessionLookup("containsKey, then put", (sessions, key) -> {
                    if (!sessions.containsKey(key)) sessions.put(key, new Session(key));
                    return sessions.get(key);
                }),
                new SessionLookup("get, then putIfAbsent", (sessions, key) -> {
                    Session session = sessions.get(key);
                    if (session != null) return session;
                    Session fresh = new Session(key);
                    Session first = sessions.putIfAbsent(key, fresh);
                    return first != null ? first : fresh;
                }),
                new SessionLookup("computeIfAbsent", (sessions, key) -> sessions.computeIfAbsent(key, Session::new)));
        for (SessionLookup variant : lookups) {
            sessionsMade.set(0);
            long dropped = 0;
            for (int round = 0; round < rounds; round++) {
                Map<Integer, Session> sessions = new ConcurrentHashMap<>();
                Queue<Session> handedOut = new ConcurrentLinkedQueue<>();
                runOnThreads("session-user-", threads, 1, () -> {
                    for (int key = 0; key < keys; key++) handedOut.add(variant.lookup().apply(sessions, key));
                });
                for (Session session : handedOut) if (sessions.get(session.key()) != session) dropped++;
            }
            log(String.format("%-22s made %,d sessions for %,d keys; %,d handed out, then replaced",
                    variant.name(), sessionsMade.get(), (long) keys * rounds, dropped));
            if (variant == lookups.getFirst() && sessionsMade.get() == (long) keys * rounds) {
                log("no session made twice this time: no two threads checked one key at once; nothing prevents it");
            }
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Compound operations on a ConcurrentHashMap ==
     * ?   5991 ms  main             get, then put          counted 888,211 of 1,000,000 words: lost 111,789
     *     6194 ms  main             merge                  counted 1,000,000 of 1,000,000 words: lost 0
     *     6300 ms  main             compute                counted 1,000,000 of 1,000,000 words: lost 0
     *     6445 ms  main             containsKey, then put  made 2,231 sessions for 2,000 keys; 225 handed out, then replaced
     *     6534 ms  main             get, then putIfAbsent  made 2,155 sessions for 2,000 keys; 0 handed out, then replaced
     *     6654 ms  main             computeIfAbsent        made 2,000 sessions for 2,000 keys; 0 handed out, then replaced
     */

    /* ---------------------------------------------------------------------------------
     * Deadlock: two locks, opposite orders.
     *
     * A transfer from A to B locks A, then B; a transfer from B to A locks B, then A. If
     * each takes its first lock before the other takes its second, each waits for a lock
     * the other holds, forever. We force that here: each thread takes its first lock and
     * then waits at a barrier until the other holds its first lock too.
     *
     * `ThreadMXBean.findDeadlockedThreads()` finds such cycles among platform threads
     * (not virtual ones), and only through what it can see a thread own: monitors
     * (`synchronized`) and ownable synchronizers (`ReentrantLock`, the write lock of a
     * `ReentrantReadWriteLock`). Threads stuck waiting for each other through a latch, a
     * semaphore, a read lock or a queue are just as stuck, and it reports nothing.
     *
     * To escape, our threads wait with `lockInterruptibly()`, so an interrupt makes them
     * give up and release what they hold. A thread stuck in `synchronized` cannot be interrupted out:
     * only a restart would end it.
     *
     * The fixes: take locks in one global order (here by account number), so no cycle can
     * form; or wait with `tryLock(timeout)` and, on timeout, release everything and retry.
     * --------------------------------------------------------------------------------- */
    record LockedAccount(String name, int number, ReentrantLock lock) {
        LockedAccount(String name, int number) { this(name, number, new ReentrantLock()); }
    }

    static void deadlock() throws InterruptedException {
        section("Deadlock: two locks taken in opposite orders");
        LockedAccount a = new LockedAccount("A", 1), b = new LockedAccount("B", 2);
        CyclicBarrier bothHoldOne = new CyclicBarrier(2);
        Thread aToB = Thread.ofPlatform().name("transfer-A-to-B").start(() -> oppositeOrder(a, b, bothHoldOne));
        Thread bToA = Thread.ofPlatform().name("transfer-B-to-A").start(() -> oppositeOrder(b, a, bothHoldOne));

        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        long[] stuck = null;
        long begin = System.nanoTime();
        while (stuck == null && System.nanoTime() - begin < TimeUnit.SECONDS.toNanos(5)) {
            stuck = threads.findDeadlockedThreads();
            if (stuck == null) Thread.sleep(5); // polling: each look is a moment in time
        }
        if (stuck == null) {
            log("no deadlock found within 5 s (an overloaded machine?): moving on");
        } else {
            log(String.format("deadlock found by ThreadMXBean after %d ms, %d threads:",
                    (System.nanoTime() - begin) / 1_000_000, stuck.length));
            for (ThreadInfo info : threads.getThreadInfo(stuck)) {
                log("  '" + info.getThreadName() + "' waits for a lock held by '" + info.getLockOwnerName() + "'");
            }
        }
        // Interrupting one of them is enough: it gives up and releases A, so the other
        // gets A and finishes. (A bounded join: we never wait forever, even here.)
        aToB.interrupt();
        aToB.join(5_000);
        bToA.join(5_000);
        if (aToB.isAlive() || bToA.isAlive()) bToA.interrupt();
        log("escaped: transfer-A-to-B " + aToB.getState() + ", transfer-B-to-A " + bToA.getState()
                + ", a lock still held: " + (a.lock().isLocked() || b.lock().isLocked()));

        int transfers = quick ? 20_000 : 200_000;
        long nanos = runBothWays(transfers, Race::orderedTransfer);
        log(String.format("lock ordering: %,d transfers each way, no deadlock, %.0f ns per transfer",
                transfers, (double) nanos / (2L * transfers)));
        AtomicLong retries = new AtomicLong();
        nanos = runBothWays(transfers, (from, to) -> retries.addAndGet(tryLockTransfer(from, to)));
        log(String.format("tryLock with timeout: %,d transfers each way, retries: %,d, %.0f ns per transfer",
                transfers, retries.get(), (double) nanos / (2L * transfers)));
    }

    // Takes `from`'s lock, waits until the other thread holds its first lock too, then
    // asks for `to`'s lock: a deadlock by construction. Gives up when interrupted.
    static void oppositeOrder(LockedAccount from, LockedAccount to, CyclicBarrier bothHoldOne) {
        try {
            from.lock().lockInterruptibly();
            try {
                log("holds " + from.name() + ", waits for " + to.name());
                bothHoldOne.await(5, TimeUnit.SECONDS);
                to.lock().lockInterruptibly();
                try {
                    log("holds both: transfer done");
                } finally {
                    to.lock().unlock();
                }
            } finally {
                from.lock().unlock();
            }
        } catch (InterruptedException e) {
            log("interrupted: gave up waiting for " + to.name() + " and released " + from.name());
        } catch (Exception e) {
            log("gave up: " + e);
        }
    }

    static void orderedTransfer(LockedAccount from, LockedAccount to) {
        LockedAccount first = from.number() < to.number() ? from : to;
        LockedAccount second = first == from ? to : from;
        first.lock().lock();
        try {
            second.lock().lock();
            try {
                Thread.onSpinWait(); // the transfer itself
            } finally {
                second.lock().unlock();
            }
        } finally {
            first.lock().unlock();
        }
    }

    // Returns how many times it had to give up and retry.
    static int tryLockTransfer(LockedAccount from, LockedAccount to) {
        for (int retries = 0; ; retries++) {
            from.lock().lock();
            try {
                if (to.lock().tryLock(1, TimeUnit.MILLISECONDS)) {
                    try {
                        Thread.onSpinWait(); // the transfer itself
                        return retries;
                    } finally {
                        to.lock().unlock();
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return retries;
            } finally {
                from.lock().unlock();
            }
            // Back off for a random moment, so the two threads do not retry in lockstep.
            long pause = ThreadLocalRandom.current().nextLong(1_000, 100_000);
            LockSupport.parkNanos(pause);
        }
    }

    // One thread transfers A to B, another B to A, `transfers` times each, at once.
    static long runBothWays(int transfers, BiConsumer<LockedAccount, LockedAccount> transfer)
            throws InterruptedException {
        LockedAccount a = new LockedAccount("A", 1), b = new LockedAccount("B", 2);
        CyclicBarrier startGate = new CyclicBarrier(2);
        long begin = System.nanoTime();
        Thread aToB = Thread.ofPlatform().name("transfer-A-to-B").start(() -> {
            if (passGate(startGate)) for (int i = 0; i < transfers; i++) transfer.accept(a, b);
        });
        Thread bToA = Thread.ofPlatform().name("transfer-B-to-A").start(() -> {
            if (passGate(startGate)) for (int i = 0; i < transfers; i++) transfer.accept(b, a);
        });
        aToB.join();
        bToA.join();
        return System.nanoTime() - begin;
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Deadlock: two locks taken in opposite orders ==
     *     6662 ms  transfer-A-to-B  holds A, waits for B
     * ?   6663 ms  transfer-B-to-A  holds B, waits for A
     *     6678 ms  main             deadlock found by ThreadMXBean after 6 ms, 2 threads:
     *     6679 ms  main               'transfer-A-to-B' waits for a lock held by 'transfer-B-to-A'
     * ?   6679 ms  main               'transfer-B-to-A' waits for a lock held by 'transfer-A-to-B'
     *     6679 ms  transfer-A-to-B  interrupted: gave up waiting for B and released A
     * ?   6680 ms  transfer-B-to-A  holds both: transfer done
     *     6682 ms  main             escaped: transfer-A-to-B TERMINATED, transfer-B-to-A TERMINATED, a lock still held: false
     *     6714 ms  main             lock ordering: 20,000 transfers each way, no deadlock, 778 ns per transfer
     *     6753 ms  main             tryLock with timeout: 20,000 transfers each way, retries: 3, 945 ns per transfer
     */

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 03`. Stuck? `./jbang hint 3.1` (again for more).
     * ================================================================================= */

    // Exercise 3.1: a counter that loses no update.
    //
    // Make `increment()` add one and `get()` return the count so far, correctly when many
    // threads call `increment()` at the same time: 8 threads doing 100,000 increments
    // each must end at exactly 800,000, every time. (Marking the field `volatile` is not
    // enough; the demo above shows why.)
    static final class Counter {
        void increment() {
            throw new UnsupportedOperationException("exercise 3.1 is not done yet: see its comment");
        }

        long get() {
            throw new UnsupportedOperationException("exercise 3.1 is not done yet: see its comment");
        }
    }

    // Exercise 3.2: transfers that conserve money and never deadlock.
    //
    // Move `amount` from `from` to `to` and return true, if `from.balance >= amount`;
    // otherwise change nothing and return false. Many threads call this at once, with
    // any pair of different accounts in either direction. Afterwards the total of all
    // balances must be what it was, no balance may have gone below zero (check and
    // debit must be one atomic step), and no two transfers may deadlock.
    static final class Account {
        final int number; // unique: use it if you need an order
        long balance;

        Account(int number, long balance) {
            this.number = number;
            this.balance = balance;
        }
    }

    static boolean transfer(Account from, Account to, long amount) {
        throw new UnsupportedOperationException("exercise 3.2 is not done yet: see its comment");
    }

    // Exercise 3.3: the punchline in order, each word from its own thread.
    //
    // Start one platform thread per word. Each thread first calls `ready.run()` (the
    // test uses it to check that all the threads are alive at the same time: it may not
    // return until every thread has called it), then calls `say.accept(word)` for its own
    // word, and only after the thread of the previous word has finished its `say`. Return
    // once every word is said and every thread has ended. No sleeping to keep order:
    // a `say` may take any time.
    static void tellInOrder(List<String> words, Runnable ready, Consumer<String> say) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 3.3 is not done yet: see its comment");
    }

    // Exercise 3.4: a value created lazily, exactly once.
    //
    // `get()` returns the value made by `supplier`, calling the supplier on the first
    // `get()` only (not in the constructor). However many threads call `get()` at once,
    // the supplier runs exactly once and every caller gets the same object.
    static final class Lazy<T> {
        Lazy(Supplier<T> supplier) {
            // keep the supplier; do not call it yet
        }

        T get() {
            throw new UnsupportedOperationException("exercise 3.4 is not done yet: see its comment");
        }
    }
}

// See also: lesson 01 (threads, start and join), lesson 02 (stopping threads cleanly),
// the jcstress samples (BasicJMM_01_DataRaces and friends: these races, proven by a
// stress harness), the Java Language Specification, chapters 17.4 (the memory model
// and happens-before) and 17.5 (final fields), and the javadoc of ConcurrentHashMap
// (which of its methods are atomic, and what their functions may not do).
