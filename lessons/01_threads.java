///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Threads

/* ------------------------------------------------------------------------------------
 * Lesson 01: threads.
 *
 * What is a thread, how do we start one, name it, wait for it, and where does its
 * exception go when it fails?
 *
 *     ./jbang lessons/01_threads.java     run this lesson (add --quick for a short run)
 *     ./jbang check 01                    check your answers to the exercises at the end
 *     ./jbang hint 1.1                    a hint for exercise 1.1, one layer per call
 *
 * A thread is one line of execution inside a process: its own call stack and program
 * counter, sharing the heap with every other thread of the same JVM. Every Java program
 * starts with one, called "main". Every number this lesson prints was measured just
 * now, on your machine.
 * ------------------------------------------------------------------------------------ */

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import java.util.function.IntToLongFunction;

class Threads {

    static final long START = System.nanoTime();
    static boolean quick;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, so you can see the threads interleave.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        quick = List.of(args).contains("--quick");
        theMainThread();
        startVersusRun();
        joinOrNot();
        exceptionsInThreads();
        noGlobalLock();
        virtualThreads();
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 01");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * The main thread, and a second one.
     *
     * We start a platform thread (one backed by an operating-system thread) with a task:
     * a `Runnable`. `Thread.ofPlatform()` is a builder: we name the thread for what it
     * does, because that name shows up in logs, thread dumps and stack traces.
     * --------------------------------------------------------------------------------- */
    static void theMainThread() throws InterruptedException {
        section("The main thread, and a second one");
        Thread main = Thread.currentThread();
        log("I am thread '" + main.getName() + "', id " + main.threadId());

        Thread meanCalculator = Thread.ofPlatform().name("mean-calculator").unstarted(() -> {
            log("started: computing the mean of 1,000,000 random numbers");
            double sum = 0;
            for (int i = 0; i < 1_000_000; i++) sum += ThreadLocalRandom.current().nextGaussian();
            log("mean = " + String.format("%.5f", sum / 1_000_000)
                    + ", and I am thread id " + Thread.currentThread().threadId());
        });
        log("created '" + meanCalculator.getName() + "', state " + meanCalculator.getState());

        // `start()` asks the JVM for a new thread and returns at once: from here on, two
        // threads run, and their lines interleave in an order nobody chose.
        meanCalculator.start();
        log("started it; its state is now " + meanCalculator.getState());
        meanCalculator.join();
        log("it has ended; its state is now " + meanCalculator.getState());
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == The main thread, and a second one ==
     *    38 ms  main             I am thread 'main', id 3
     *   180 ms  main             created 'mean-calculator', state NEW
     * ? 181 ms  main             started it; its state is now RUNNABLE
     * ? 182 ms  mean-calculator  started: computing the mean of 1,000,000 random numbers
     *   270 ms  mean-calculator  mean = -0.00031, and I am thread id 21
     *   294 ms  main             it has ended; its state is now TERMINATED
     */

    /* ---------------------------------------------------------------------------------
     * start() versus run().
     *
     * A classic mistake: `thread.run()` compiles and "works", but it is a plain method
     * call. The task runs on the caller, one step after another; no thread is started.
     * --------------------------------------------------------------------------------- */
    static void startVersusRun() throws InterruptedException {
        section("start() versus run()");
        Runnable whoAmI = () -> log("this task runs on '" + Thread.currentThread().getName() + "'");

        Thread wrong = Thread.ofPlatform().name("never-started").unstarted(whoAmI);
        wrong.run();
        log("after run(): the thread's state is still " + wrong.getState());

        Thread right = Thread.ofPlatform().name("really-started").start(whoAmI);
        right.join();
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == start() versus run() ==
     *   296 ms  main             this task runs on 'main'
     *   296 ms  main             after run(): the thread's state is still NEW
     *   296 ms  really-started   this task runs on 'really-started'
     */

    /* ---------------------------------------------------------------------------------
     * join(), or "the main thread finished first".
     *
     * Without `join`, nothing makes main wait: it reports "done" while the worker is still
     * working, and whatever the worker computes is not there yet when main reads it.
     * `join()` waits for the thread to end; `join(Duration)` waits at most that long and
     * returns whether the thread ended, so a stuck thread cannot stall us forever.
     *
     * `join` does a second job, just as important: it makes the worker's writes visible.
     * Everything a thread did happens-before another thread's `join` on it returns (JLS
     * 17.4.5). Without that edge, main's read of the result races with the worker's write:
     * main may see the old value even after the worker has ended, and when it does see the
     * new one, no rule promised it. So reading the result after `join` is correct by the
     * memory model, not by luck; reading it without `join` is a data race (lesson 03).
     * --------------------------------------------------------------------------------- */
    static void joinOrNot() throws InterruptedException {
        section("join(), or the main thread finishing first");
        long[] result = new long[1];
        Runnable slowSum = () -> {
            long sum = 0;
            for (int i = 1; i <= 200_000_000; i++) sum += i % 7;
            result[0] = sum;
            log("finished: sum = " + sum);
        };

        Thread unjoined = Thread.ofPlatform().name("unjoined-worker").start(slowSum);
        long early = result[0];
        log("without join: main reads the result at once: " + early
                + (early == 0 ? " (not computed yet)"
                        : " (computed already, but without join nothing promised that we would see it)"));
        unjoined.join(); // (we wait here only to keep the next demo's output apart)

        result[0] = 0;
        Thread joined = Thread.ofPlatform().name("joined-worker").start(slowSum);
        joined.join();
        log("with join: main reads the result after the worker ended: " + result[0]);

        Thread sleeper = Thread.ofPlatform().name("sleepy-worker").start(() -> {
            try {
                Thread.sleep(Duration.ofSeconds(5));
            } catch (InterruptedException e) {
                log("interrupted while sleeping: stopping early");
            }
        });
        boolean ended = sleeper.join(Duration.ofMillis(100));
        log("join(100 ms) returned " + ended + ": the sleeper is still " + sleeper.getState());
        // When a timed join gives up, decide: wait more, ask the thread to stop (lesson 02
        // shows how), or carry on without its result. Here we ask it to stop.
        sleeper.interrupt();
        sleeper.join();
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == join(), or the main thread finishing first ==
     * ?  304 ms  main             without join: main reads the result at once: 0 (not computed yet)
     *    814 ms  unjoined-worker  finished: sum = 599999998
     *   1347 ms  joined-worker    finished: sum = 599999998
     *   1348 ms  main             with join: main reads the result after the worker ended: 599999998
     *   1458 ms  main             join(100 ms) returned false: the sleeper is still TIMED_WAITING
     *   1460 ms  sleepy-worker    interrupted while sleeping: stopping early
     */

    /* ---------------------------------------------------------------------------------
     * Where an exception in a thread goes.
     *
     * An exception that escapes a thread's task ends that thread, and only that thread.
     * The JVM hands it to the thread's uncaught-exception handler; the default one prints
     * "Exception in thread ..." and a stack trace to standard error. Main carries on, and
     * unless someone reads standard error, nobody notices: the Python notebook this course
     * grew from lost a `NameError` in "Thread-7" exactly so.
     *
     * Two ways to see the failure where it matters: an `UncaughtExceptionHandler`, or run
     * the task as a `Future`, whose `get()` rethrows it in the caller, wrapped in an
     * `ExecutionException`.
     * --------------------------------------------------------------------------------- */
    static void exceptionsInThreads() throws InterruptedException {
        section("Where an exception in a thread goes");
        Runnable failing = () -> {
            log("about to fail");
            Object missing = null;
            missing.toString(); // a NullPointerException, our NameError
        };

        Thread lost = Thread.ofPlatform().name("Thread-7").start(failing);
        lost.join();
        System.err.flush();
        log("main carries on: the thread ended " + lost.getState() + " and main got no exception");

        Thread.UncaughtExceptionHandler report = (thread, error) ->
                log("handler saw '" + thread.getName() + "' die of " + error);
        Thread handled = Thread.ofPlatform().name("handled-worker").uncaughtExceptionHandler(report).start(failing);
        handled.join();

        try (ExecutorService executor = Executors.newSingleThreadExecutor()) {
            Future<?> future = executor.submit(failing);
            try {
                future.get();
            } catch (ExecutionException e) {
                log("future.get() rethrew it in main: " + e.getCause());
            }
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Where an exception in a thread goes ==
     *     1467 ms  Thread-7         about to fail
     * ? Exception in thread "Thread-7" java.lang.NullPointerException: Cannot invoke "Object.toString()" because "missing" is null
     *   ...
     *     1468 ms  main             main carries on: the thread ended TERMINATED and main got no exception
     *     1475 ms  handled-worker   about to fail
     * ?   1476 ms  handled-worker   handler saw 'handled-worker' die of java.lang.NullPointerException: Cannot invoke "Object.toString()" because "missing" is null
     *     1483 ms  pool-1-thread-1  about to fail
     * ?   1485 ms  main             future.get() rethrew it in main: java.lang.NullPointerException: Cannot invoke "Object.toString()" because "missing" is null
     */

    /* ---------------------------------------------------------------------------------
     * Java has no global interpreter lock.
     *
     * CPython's default build has a GIL: only one thread runs Python bytecode at a time,
     * so threads do not make CPU-bound Python code faster. A JVM has no such lock: two
     * threads on two cores really run at the same time. We split the same computation
     * over one thread, then over one thread per core, and time both (after a warm-up,
     * so the JIT compiler has done its work before we measure).
     * --------------------------------------------------------------------------------- */
    static void noGlobalLock() throws InterruptedException {
        section("No global lock: CPU-bound work on every core");
        int cores = Runtime.getRuntime().availableProcessors();
        long steps = quick ? 40_000_000L : 400_000_000L;

        timeSplitWork(2, steps / 10); // warm-up, not measured
        long oneThread = timeSplitWork(1, steps);
        long allCores = timeSplitWork(cores, steps);

        log(String.format("%,d steps on 1 thread:  %,d ms", steps, oneThread / 1_000_000));
        log(String.format("%,d steps on %d threads: %,d ms", steps, cores, allCores / 1_000_000));
        if (cores == 1) {
            log("this machine shows one core: threads cannot run in parallel here, so no speedup");
        } else {
            log(String.format("speedup: %.2fx with %d cores (the limit is %dx)",
                    (double) oneThread / allCores, cores, cores));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == No global lock: CPU-bound work on every core ==
     *   1768 ms  main             40,000,000 steps on 1 thread:  134 ms
     *   1768 ms  main             40,000,000 steps on 2 threads: 130 ms
     *   1768 ms  main             speedup: 1.03x with 2 cores (the limit is 2x)
     */

    // Each part runs the same number of steps of a random-number generator, a loop the
    // JIT compiler cannot skip or vectorise. Returns the wall time in nanoseconds.
    static long timeSplitWork(int parts, long steps) throws InterruptedException {
        long[] results = new long[parts];
        List<Thread> workers = new ArrayList<>();
        long begin = System.nanoTime();
        for (int part = 0; part < parts; part++) {
            int index = part;
            workers.add(Thread.ofPlatform().name("cruncher-" + part).start(() -> {
                long x = index + 1;
                for (long i = 0; i < steps / parts; i++) x = x * 6364136223846793005L + 1442695040888963407L;
                results[index] = x;
            }));
        }
        for (Thread worker : workers) worker.join();
        long elapsed = System.nanoTime() - begin;
        if (results[0] == 42) System.out.print(""); // use the result, so no step is dead code
        return elapsed;
    }

    /* ---------------------------------------------------------------------------------
     * Threads that mostly wait: virtual threads.
     *
     * A platform thread is an operating-system thread: about a megabyte of reserved
     * stack, and a system call to start. A virtual thread is a JVM object that borrows
     * an OS thread (a "carrier") only while it runs, and gives it back while it waits.
     * That makes one thread per waiting task affordable: a JVM can hold millions of
     * virtual threads at once (each costs heap for its stack, not an OS thread), where
     * every platform thread is an OS thread of its own.
     * Virtual threads do not make CPU-bound work faster: there are still only as many
     * cores as above. Lessons 04 and 08 measure where each kind wins.
     * --------------------------------------------------------------------------------- */
    static void virtualThreads() throws InterruptedException {
        section("Virtual threads: thousands of waiting tasks");
        Duration wait = Duration.ofMillis(200);
        int virtualCount = quick ? 2_000 : 10_000;
        int platformCount = quick ? 200 : 1_000;

        long virtualNanos = timeWaitingThreads(Thread.ofVirtual().name("waiter-", 0), virtualCount, wait);
        long platformNanos = timeWaitingThreads(Thread.ofPlatform().name("waiter-", 0), platformCount, wait);

        log(String.format("%,d virtual threads, each waiting %d ms: all done in %,d ms",
                virtualCount, wait.toMillis(), virtualNanos / 1_000_000));
        log(String.format("%,d platform threads, each waiting %d ms: all done in %,d ms",
                platformCount, wait.toMillis(), platformNanos / 1_000_000));
        log(String.format("start and end cost per thread: virtual %.1f µs, platform %.1f µs",
                Math.max(0, virtualNanos - wait.toNanos()) / 1_000.0 / virtualCount,
                Math.max(0, platformNanos - wait.toNanos()) / 1_000.0 / platformCount));
        log(String.format("one after another, those waits would take %,d s; the limit is one wait, %d ms",
                virtualCount * wait.toMillis() / 1000, wait.toMillis()));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Virtual threads: thousands of waiting tasks ==
     *   2274 ms  main             2,000 virtual threads, each waiting 200 ms: all done in 262 ms
     *   2275 ms  main             200 platform threads, each waiting 200 ms: all done in 242 ms
     *   2275 ms  main             start and end cost per thread: virtual 31.1 µs, platform 213.7 µs
     *   2275 ms  main             one after another, those waits would take 400 s; the limit is one wait, 200 ms
     */

    static long timeWaitingThreads(Thread.Builder builder, int count, Duration wait) throws InterruptedException {
        List<Thread> threads = new ArrayList<>(count);
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            threads.add(builder.start(() -> {
                try {
                    Thread.sleep(wait);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread thread : threads) thread.join();
        return System.nanoTime() - begin;
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 01`. Stuck? `./jbang hint 1.1` (again for more).
     * ================================================================================= */

    // Exercise 1.1: split work over threads, and wait for all of them.
    //
    // Start `parts` new threads. Thread number i (0 <= i < parts) computes
    // `partSum.applyAsLong(i)`. Wait until every thread has ended, then return the sum of
    // all parts. The parts must run at the same time, each on its own thread (not on the
    // caller's), and no thread may still be running when you return, however long a part
    // takes. If this thread is interrupted while it waits, let the InterruptedException out.
    static long parallelSum(int parts, IntToLongFunction partSum) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 1.1 is not done yet: see its comment");
    }

    // Exercise 1.2: run a task on a thread of its own, and bring its failure home.
    //
    // Run `task` on a new thread named `threadName`, wait for it, and return its result.
    // If the task throws (an Exception or an Error), throw an `ExecutionException` whose
    // cause is exactly what the task threw (the same object), so the caller sees the
    // failure instead of losing it on standard error as "Thread-7" did above. If this
    // thread is interrupted while it waits, let the InterruptedException out.
    static <T> T callOnNewThread(String threadName, Callable<T> task) throws ExecutionException, InterruptedException {
        throw new UnsupportedOperationException("exercise 1.2 is not done yet: see its comment");
    }

    // Exercise 1.3: many waiting tasks, one virtual thread each.
    //
    // Call `fetch.apply(key)` for every key, each call on its own virtual thread, all of
    // them in flight at the same time (the test makes every call wait until all the
    // others have started). Return the results in the order of `keys`, whatever order
    // the calls finish in (no keys: an empty list). If a call throws, throw an exception
    // whose cause is the call's exception, so the caller learns which fetch failed and why.
    static List<String> fetchAll(List<String> keys, Function<String, String> fetch) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 1.3 is not done yet: see its comment");
    }
}

// See also: lesson 02 (which threads keep the JVM alive, and stopping them cleanly) and
// lesson 03 (what goes wrong when threads share data).
