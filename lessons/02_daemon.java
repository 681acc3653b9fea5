///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Daemon

/* ------------------------------------------------------------------------------------
 * Lesson 02: daemon threads, and stopping threads cleanly.
 *
 * Which threads keep the JVM alive, what happens to the others when it exits, and how
 * do we stop a thread without losing the work it had in hand?
 *
 *     ./jbang lessons/02_daemon.java      run this lesson (add --quick for a short run)
 *     ./jbang check 02                    check your answers to the exercises at the end
 *     ./jbang hint 2.1                    a hint for exercise 2.1, one layer per call
 *
 * Every thread is either a daemon thread or not. The JVM keeps running while at least
 * one non-daemon thread is alive, and exits as soon as the last one ends, whatever the
 * daemon threads are doing at that moment. To see that for real, this lesson starts
 * copies of itself in child JVMs and times them. Every number it prints was measured
 * just now, on your machine.
 * ------------------------------------------------------------------------------------ */

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

class Daemon {

    static final long START = System.nanoTime();
    static boolean quick;
    static Path workDir;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, so you can see the threads interleave.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        // The same program plays the child JVMs' roles: the first argument says which.
        if (args.length > 0 && args[0].startsWith("child-")) {
            playChild(args);
            return;
        }
        quick = List.of(args).contains("--quick");
        workDir = Files.createTempDirectory("lesson02-");
        try {
            whatKeepsTheJvmAlive();
            daemonRules();
            abandonedMidStep();
            interruption();
            stopFlag();
            executorShutdown();
            shutdownHooks();
            joinWithTimeout();
        } finally {
            deleteTree(workDir);
        }
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 02");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * What keeps the JVM alive.
     *
     * We start this very program again in a child JVM, with an argument that gives it a
     * role. The child's main starts one background thread that works for a while, and
     * returns at once. With a daemon thread, nothing is left to keep the child alive:
     * it exits as soon as main returns, and the background work is simply dropped. With a
     * non-daemon thread, the child lives on until that thread ends. We time both, from
     * starting the child JVM to its exit (so both include the JVM's own start-up).
     * --------------------------------------------------------------------------------- */
    static void whatKeepsTheJvmAlive() throws Exception {
        section("What keeps the JVM alive");
        long workMillis = quick ? 600 : 1_500;
        ChildRun daemonChild = timeChild("child-daemon", workMillis);
        ChildRun userChild = timeChild("child-user", workMillis);
        log(String.format("child with a daemon thread exited after %,d ms (its thread was to work %,d ms)",
                daemonChild.millis(), workMillis));
        log(String.format("child with a non-daemon thread exited after %,d ms (it waited for that thread)",
                userChild.millis()));
        // The rest of the difference is the two JVMs' start-up and exit, which vary from run to run.
        log(String.format("difference: %,d ms; the non-daemon thread measured its own work: %s",
                userChild.millis() - daemonChild.millis(),
                userChild.worked() == null ? "it reported nothing" : userChild.worked() + " ms"));

        // The notebook this course grew from marks a thread daemon and then joins it. The
        // join makes main wait for it, so it runs to its end like any other thread: the
        // daemon flag only matters for the threads nobody waits for.
        long begin = System.nanoTime();
        Thread joinedDaemon = Thread.ofPlatform().name("joined-daemon").daemon(true)
                .start(() -> sleepQuietly(Duration.ofMillis(200)));
        joinedDaemon.join();
        log(String.format("a daemon thread that main joins ran to its end (%,d ms): the flag changed nothing",
                (System.nanoTime() - begin) / 1_000_000));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == What keeps the JVM alive ==
     *   1029 ms  main             child with a daemon thread exited after 180 ms (its thread was to work 600 ms)
     *   1029 ms  main             child with a non-daemon thread exited after 752 ms (it waited for that thread)
     *   1030 ms  main             difference: 572 ms; the non-daemon thread measured its own work: 600 ms
     *   1255 ms  main             a daemon thread that main joins ran to its end (223 ms): the flag changed nothing
     */

    // How long a child JVM lived, in milliseconds, and how long its background thread
    // said it worked (null if it never got to say so: a daemon thread is cut off).
    record ChildRun(long millis, String worked) {}

    static final String WORKED = "background-work worked ms: ";

    // Runs a child JVM whose background thread works `workMillis`, and times it.
    static ChildRun timeChild(String role, long workMillis) throws Exception {
        Path output = workDir.resolve(role + ".out");
        long begin = System.nanoTime();
        Process child = startChild(output, role, String.valueOf(workMillis));
        boolean exited = awaitChild(child, Duration.ofSeconds(20));
        long millis = (System.nanoTime() - begin) / 1_000_000;
        if (!exited) log("the child did not exit within 20 s; we ended it");
        String worked = null;
        for (String line : readQuietly(output).lines().toList()) {
            if (line.startsWith(WORKED)) worked = line.substring(WORKED.length());
            else log("child said: " + line);
        }
        return new ChildRun(millis, worked);
    }

    /* ---------------------------------------------------------------------------------
     * The rules of the daemon flag.
     *
     * The flag is part of how a thread is created, so it must be set before `start`:
     * while the thread is alive, `setDaemon` throws IllegalThreadStateException. (Once
     * the thread has ended, the call is accepted again, and changes nothing that matters.)
     * A new thread copies the flag of the thread that creates it, so threads started by a
     * daemon thread are daemons too. Virtual threads are always daemon threads: they never
     * keep the JVM alive, and asking otherwise is an error.
     * --------------------------------------------------------------------------------- */
    static void daemonRules() throws InterruptedException {
        section("The rules of the daemon flag");
        // The thread waits for our latch, so it is surely alive when we call setDaemon.
        CountDownLatch mayEnd = new CountDownLatch(1);
        Thread alreadyRunning = Thread.ofPlatform().name("already-running").start(() -> awaitQuietly(mayEnd));
        try {
            alreadyRunning.setDaemon(true);
            log("setDaemon(true) after start() was accepted (unexpected)");
        } catch (IllegalThreadStateException e) {
            log("setDaemon(true) after start() threw IllegalThreadStateException: set it before start");
        }
        mayEnd.countDown();
        alreadyRunning.join();
        alreadyRunning.setDaemon(true);
        log("once the thread has ended, setDaemon(true) is accepted: isDaemon() = " + alreadyRunning.isDaemon()
                + ", too late to matter");

        Thread[] child = new Thread[1];
        Thread parent = new Thread(() -> child[0] = new Thread(() -> {}, "created-by-daemon"), "daemon-parent");
        parent.setDaemon(true); // before start: fine
        parent.start();
        parent.join();
        Thread createdByMain = new Thread(() -> {}, "created-by-main");
        log("a thread created by main: isDaemon() = " + createdByMain.isDaemon()
                + "; one created by a daemon thread: isDaemon() = " + child[0].isDaemon());

        Thread virtual = Thread.ofVirtual().name("virtual-one").unstarted(() -> {});
        String refusal;
        try {
            virtual.setDaemon(false);
            refusal = "setDaemon(false) was accepted (unexpected)";
        } catch (IllegalArgumentException e) {
            refusal = "setDaemon(false) threw IllegalArgumentException";
        }
        log("a virtual thread: isDaemon() = " + virtual.isDaemon() + ", and " + refusal);
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == The rules of the daemon flag ==
     *   1259 ms  main             setDaemon(true) after start() threw IllegalThreadStateException: set it before start
     *   1263 ms  main             once the thread has ended, setDaemon(true) is accepted: isDaemon() = true, too late to matter
     *   1273 ms  main             a thread created by main: isDaemon() = false; one created by a daemon thread: isDaemon() = true
     *   1357 ms  main             a virtual thread: isDaemon() = true, and setDaemon(false) threw IllegalArgumentException
     */

    /* ---------------------------------------------------------------------------------
     * The pitfall: daemon threads are abandoned mid-step.
     *
     * When the last non-daemon thread ends, the JVM does not stop the daemon threads
     * politely: they are not interrupted, they get no exception, their `finally` blocks
     * and try-with-resources `close()` calls never run. They just stop existing between
     * one instruction and the next.
     *
     * Our child JVM starts a daemon thread that writes a report of 10 steps to a file,
     * flushing each step, with a `finally` that writes a closing line. Main waits for 3
     * steps and returns. Then we read the file the child left behind. The interleaving:
     *
     *     report-writer: writes step 3, flushes, counts down, sleeps 100 ms
     *     main:          sees 3 steps, returns: no non-daemon thread is left
     *     JVM:           exits, while report-writer still sleeps; step 4 and the
     *                    finally block never happen
     *
     * (On a very busy machine the exit itself may take longer than one step, and the
     * count printed below is then 4 or 5: it is whatever the file really holds.)
     * --------------------------------------------------------------------------------- */
    static void abandonedMidStep() throws Exception {
        section("The pitfall: daemon threads are abandoned mid-step");
        Path report = workDir.resolve("report.txt");
        Path output = workDir.resolve("child-abandoned.out");
        Process child = startChild(output, "child-abandoned", report.toString());
        if (!awaitChild(child, Duration.ofSeconds(20))) log("the child did not exit within 20 s; we ended it");
        showChildOutput(output);

        List<String> lines = Files.exists(report) ? Files.readAllLines(report) : List.of();
        long steps = lines.stream().filter(line -> line.startsWith("step ")).count();
        boolean finallyRan = lines.stream().anyMatch(line -> line.startsWith("finally"));
        log(String.format("the daemon wrote %d of 10 steps; its finally block %s; the file ends with '%s'",
                steps, finallyRan ? "ran" : "did not run", lines.isEmpty() ? "" : lines.getLast()));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == The pitfall: daemon threads are abandoned mid-step ==
     * ? 1808 ms  main             the daemon wrote 3 of 10 steps; its finally block did not run; the file ends with 'step 3 of 10'
     */

    /* ---------------------------------------------------------------------------------
     * Stopping a thread cleanly, 1: interruption.
     *
     * Java has no safe way to kill a thread from outside. It has a request instead:
     * `thread.interrupt()` sets the thread's interrupt flag, and if the thread is waiting
     * (`sleep`, `join`, `take`, `await`, ...) that wait ends with an
     * `InterruptedException`. The thread then decides how to stop: finish the item in
     * hand, tidy up, end. Throwing that exception clears the flag, so code that catches
     * it and does not stop everything right there calls `Thread.currentThread().interrupt()`
     * to set it again for its callers.
     *
     * Broken first: a worker that swallows the exception carries on as if nothing had
     * been asked. Then a worker that answers it.
     * --------------------------------------------------------------------------------- */
    static void interruption() throws InterruptedException {
        section("Stopping cleanly, 1: interruption");
        Thread swallower = Thread.ofPlatform().name("swallower").daemon(true).start(() -> {
            while (keepNapping) { // a volatile flag: the next demo uses it to stop this thread
                try {
                    Thread.sleep(100);
                } catch (InterruptedException e) {
                    // swallowed: the request is forgotten, and the flag is cleared
                }
            }
        });
        swallower.interrupt();
        boolean stopped = swallower.join(Duration.ofMillis(200));
        log("swallower: 200 ms after interrupt() it is " + (stopped ? "gone" : "still " + swallower.getState())
                + ", and its interrupt flag reads " + swallower.isInterrupted());

        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        AtomicInteger handled = new AtomicInteger();
        Thread worker = Thread.ofPlatform().name("inbox-worker").start(() -> {
            try {
                while (true) {
                    String item = inbox.take();
                    handled.incrementAndGet(); // "handle" the item
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // keep the request visible to our callers
                log("interrupted while waiting for an item: stopping after " + handled.get()
                        + " items (flag set again: " + Thread.currentThread().isInterrupted() + ")");
            }
        });
        for (int i = 1; i <= 5; i++) inbox.add("item-" + i);
        waitUntil(() -> handled.get() == 5 && worker.getState() == Thread.State.WAITING, Duration.ofSeconds(5));
        long asked = System.nanoTime();
        worker.interrupt();
        worker.join(Duration.ofSeconds(5));
        log(String.format("inbox-worker ended %,d µs after interrupt()", (System.nanoTime() - asked) / 1_000));
        swallowerToStop = swallower; // the next demo stops it another way
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Stopping cleanly, 1: interruption ==
     * ? 2015 ms  main             swallower: 200 ms after interrupt() it is still TIMED_WAITING, and its interrupt flag reads false
     *   2022 ms  inbox-worker     interrupted while waiting for an item: stopping after 5 items (flag set again: true)
     *   2024 ms  main             inbox-worker ended 3,561 µs after interrupt()
     */

    static Thread swallowerToStop;

    /* ---------------------------------------------------------------------------------
     * Stopping a thread cleanly, 2: a volatile stop flag.
     *
     * The simplest request of all is a field the thread checks between steps. It must be
     * `volatile`: without it, the JIT compiler may read the field once and keep the value
     * in a register, and the loop never sees our write (lesson 03 shows why). A flag
     * works for code that never waits, and for code we do not control; but unlike an
     * interrupt it cannot wake a thread that is sleeping or blocked, so it is noticed
     * only at the next check. Here a busy loop stops on a flag; then the swallower from
     * the last demo, which naps 100 ms at a time, stops on its own flag.
     * --------------------------------------------------------------------------------- */
    static volatile boolean keepCounting = true;
    static volatile boolean keepNapping = true;

    static void stopFlag() throws InterruptedException {
        section("Stopping cleanly, 2: a volatile stop flag");
        long[] iterations = new long[1];
        Thread counter = Thread.ofPlatform().name("busy-counter").start(() -> {
            long count = 0;
            while (keepCounting) count++;
            iterations[0] = count;
        });
        sleepQuietly(Duration.ofMillis(50));
        long asked = System.nanoTime();
        keepCounting = false;
        counter.join(Duration.ofSeconds(5));
        log(String.format("busy-counter saw the volatile stop flag %,d µs after we set it, after %,d iterations",
                (System.nanoTime() - asked) / 1_000, iterations[0]));

        Thread swallower = swallowerToStop;
        asked = System.nanoTime();
        keepNapping = false;
        boolean ended = swallower.join(Duration.ofSeconds(5));
        log(String.format("the swallower %s %,d ms after we set its flag: it sees the flag only between naps of 100 ms",
                ended ? "ended" : "was still running", (System.nanoTime() - asked) / 1_000_000));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Stopping cleanly, 2: a volatile stop flag ==
     *   2077 ms  main             busy-counter saw the volatile stop flag 107 µs after we set it, after 69,567,444 iterations
     *   2111 ms  main             the swallower ended 33 ms after we set its flag: it sees the flag only between naps of 100 ms
     */

    /* ---------------------------------------------------------------------------------
     * Stopping cleanly, 3: an ExecutorService's shutdown.
     *
     * A fixed pool's threads (its core threads) wait for tasks forever: a fixed pool that
     * nobody shuts down keeps its non-daemon threads, and with them the JVM, alive. (A
     * cached pool's threads end after 60 s without a task, so it holds the JVM up to a
     * minute longer; a ForkJoinPool's threads and virtual threads are daemons, so they
     * never hold it, and their unfinished tasks are dropped at exit.)
     *
     * `shutdown()` refuses new tasks and lets the queued ones finish;
     * `awaitTermination(timeout)` waits for that, with a bound; `shutdownNow()` interrupts
     * the running tasks and hands back the queued ones that never started; `close()`
     * (try-with-resources, Java 19+) is shutdown plus a wait without a time limit (if the
     * closing thread is interrupted, it turns into shutdownNow).
     * --------------------------------------------------------------------------------- */
    static void executorShutdown() throws InterruptedException {
        section("Stopping cleanly, 3: an ExecutorService's shutdown");
        AtomicInteger done = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(1, Thread.ofPlatform().name("pool-worker-", 0).factory());
        for (int i = 0; i < 4; i++) {
            pool.submit(() -> {
                sleepQuietly(Duration.ofMillis(50));
                done.incrementAndGet();
            });
        }
        long begin = System.nanoTime();
        pool.shutdown();
        try {
            pool.submit(() -> {});
            log("a task submitted after shutdown() was accepted (unexpected)");
        } catch (RejectedExecutionException e) {
            log("after shutdown(), a new task is refused: RejectedExecutionException");
        }
        boolean terminated = pool.awaitTermination(5, TimeUnit.SECONDS);
        log(String.format("shutdown(): the %d queued tasks still ran (%d done); awaitTermination returned %s after %,d ms",
                4, done.get(), terminated, (System.nanoTime() - begin) / 1_000_000));

        ExecutorService hasty = Executors.newFixedThreadPool(1, Thread.ofPlatform().name("hasty-worker-", 0).factory());
        CountDownLatch firstStarted = new CountDownLatch(1);
        AtomicInteger interrupted = new AtomicInteger();
        for (int i = 0; i < 6; i++) {
            hasty.submit(() -> {
                firstStarted.countDown();
                try {
                    Thread.sleep(Duration.ofSeconds(5));
                } catch (InterruptedException e) {
                    interrupted.incrementAndGet(); // the task ends here, which is its way to stop
                }
            });
        }
        firstStarted.await(5, TimeUnit.SECONDS);
        List<Runnable> neverStarted = hasty.shutdownNow();
        boolean hastyDone = hasty.awaitTermination(5, TimeUnit.SECONDS);
        log(String.format("shutdownNow(): interrupted %d running task, handed back %d that never started; terminated: %s",
                interrupted.get(), neverStarted.size(), hastyDone));

        begin = System.nanoTime();
        try (ExecutorService scoped = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < 3; i++) scoped.submit(() -> sleepQuietly(Duration.ofMillis(100)));
        } // close(): shutdown, then wait for all three
        log(String.format("close() at the end of try-with-resources waited %,d ms for its 3 tasks of 100 ms",
                (System.nanoTime() - begin) / 1_000_000));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Stopping cleanly, 3: an ExecutorService's shutdown ==
     *   2116 ms  main             after shutdown(), a new task is refused: RejectedExecutionException
     *   2319 ms  main             shutdown(): the 4 queued tasks still ran (4 done); awaitTermination returned true after 203 ms
     *   2322 ms  main             shutdownNow(): interrupted 1 running task, handed back 5 that never started; terminated: true
     *   2464 ms  main             close() at the end of try-with-resources waited 141 ms for its 3 tasks of 100 ms
     */

    /* ---------------------------------------------------------------------------------
     * Stopping cleanly, 4: shutdown hooks.
     *
     * A shutdown hook is an unstarted thread we hand to `Runtime.addShutdownHook`. The
     * JVM starts it when it shuts down in an orderly way: the last non-daemon thread
     * ended, `System.exit` was called, or the process got SIGTERM (what `kill`, Docker
     * and Kubernetes send) or Ctrl-C. It is the place to flush, save, and say goodbye.
     *
     * What a hook cannot rely on: it never runs on SIGKILL (`kill -9`, or a container
     * killed after its grace period) or `Runtime.halt`; hooks run all at once, in no
     * order, while daemon threads may still be running; and it must be quick, because
     * whoever sent SIGTERM may follow with SIGKILL. We try all five endings in child
     * JVMs whose hook appends a line to a file.
     * --------------------------------------------------------------------------------- */
    static void shutdownHooks() throws Exception {
        section("Stopping cleanly, 4: shutdown hooks");
        String[][] endings = {
            {"return", "main returns"},
            {"exit", "System.exit(3)"},
            {"sigterm", "kill (SIGTERM)"},
            {"sigkill", "kill -9 (SIGKILL)"},
            {"halt", "Runtime.halt(4)"},
        };
        for (String[] ending : endings) {
            Path file = workDir.resolve("hook-" + ending[0] + ".txt");
            Path output = workDir.resolve("hook-" + ending[0] + ".out");
            Process child = startChild(output, "child-hook", file.toString(), ending[0]);
            int exitCode;
            try {
                if (ending[0].startsWith("sig")) {
                    // The child says it is ready (hook registered) in the file; then we signal it.
                    if (!waitUntil(() -> readQuietly(file).contains("ready"), Duration.ofSeconds(20))) {
                        log("the child never got ready; we end it");
                    }
                    if (ending[0].equals("sigterm")) child.destroy(); // SIGTERM on Linux and macOS
                    else child.destroyForcibly();                      // SIGKILL
                }
                exitCode = child.waitFor(Duration.ofSeconds(20)) ? child.exitValue() : -1;
            } finally {
                awaitChild(child, Duration.ZERO);
            }
            showChildOutput(output);
            boolean hookRan = readQuietly(file).contains("hook ran");
            log(String.format("%-19s exit code %3d   the hook %s", ending[1], exitCode, hookRan ? "ran" : "did NOT run"));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Stopping cleanly, 4: shutdown hooks ==
     *   2571 ms  main             main returns        exit code   0   the hook ran
     *   2642 ms  main             System.exit(3)      exit code   3   the hook ran
     * ? 2746 ms  main             kill (SIGTERM)      exit code 143   the hook ran
     * ? 2821 ms  main             kill -9 (SIGKILL)   exit code 137   the hook did NOT run
     *   3334 ms  main             Runtime.halt(4)     exit code   4   the hook did NOT run
     */

    /* ---------------------------------------------------------------------------------
     * join with a timeout, and what to do when it expires.
     *
     * `join(Duration)` returns false when the thread is still alive. Then we choose: wait
     * a bit more, ask it to stop (interrupt, a flag) and join again with a bound, or give
     * up on it. Giving up is only safe for a daemon thread, which cannot keep the JVM
     * alive; a non-daemon thread we give up on will hold the JVM open at exit.
     *
     * Our stuck worker is blocked in a call that ignores interrupts (here a
     * `Semaphore.acquireUninterruptibly`, standing in for a socket read without a
     * timeout, or a library that swallows interrupts).
     * --------------------------------------------------------------------------------- */
    static void joinWithTimeout() throws InterruptedException {
        section("join with a timeout, and what to do when it expires");
        Semaphore slowReply = new Semaphore(0);
        Thread stuck = Thread.ofPlatform().name("stuck-worker").daemon(true)
                .start(slowReply::acquireUninterruptibly);
        boolean ended = stuck.join(Duration.ofMillis(200));
        log("join(200 ms) returned " + ended + ": the worker is still " + stuck.getState());
        stuck.interrupt();
        ended = stuck.join(Duration.ofMillis(200));
        log("after interrupt(), join(200 ms) returned " + ended + ": this call ignores interrupts");
        log("we give up on it and carry on: it is a daemon, so it cannot hold the JVM open at exit");
        slowReply.release(); // (the reply arrives after all; only to keep this demo's output tidy)
        stuck.join(Duration.ofSeconds(5));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == join with a timeout, and what to do when it expires ==
     *   3538 ms  main             join(200 ms) returned false: the worker is still WAITING
     *   3753 ms  main             after interrupt(), join(200 ms) returned false: this call ignores interrupts
     *   3753 ms  main             we give up on it and carry on: it is a daemon, so it cannot hold the JVM open at exit
     */

    /* ---- Child JVMs ---------------------------------------------------------------- */

    // Starts this same program in a new JVM, in the role `role`, the way every lesson
    // does it: the java of this JVM, its class path, our class name, and the arguments.
    // What the child prints goes to `output`, a file, so nothing can block on a pipe.
    static Process startChild(Path output, String role, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Daemon.class.getName());
        command.add(role);
        command.addAll(List.of(args));
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
    }

    // Waits at most `limit` for the child to exit; afterwards it is gone, whatever happened.
    static boolean awaitChild(Process child, Duration limit) throws InterruptedException {
        try {
            return child.waitFor(limit);
        } finally {
            child.destroyForcibly();
            child.waitFor(Duration.ofSeconds(5));
        }
    }

    // A child prints nothing when all goes well; anything it did print (an exception, say)
    // is shown, so that no failure goes unnoticed.
    static void showChildOutput(Path output) {
        for (String line : readQuietly(output).lines().toList()) log("child said: " + line);
    }

    static void playChild(String[] args) throws Exception {
        switch (args[0]) {
            case "child-daemon", "child-user" -> {
                Duration work = Duration.ofMillis(Long.parseLong(args[1]));
                Thread.ofPlatform().name("background-work").daemon(args[0].equals("child-daemon")).start(() -> {
                    long begin = System.nanoTime();
                    sleepQuietly(work);
                    System.out.printf("%s%,d%n", WORKED, (System.nanoTime() - begin) / 1_000_000);
                });
                // main returns at once; whether the JVM exits now depends on that thread
            }
            case "child-abandoned" -> writeReportInDaemon(Path.of(args[1]));
            case "child-hook" -> {
                Path file = Path.of(args[1]);
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("goodbye-hook")
                        .unstarted(() -> append(file, "hook ran\n")));
                append(file, "ready\n");
                switch (args[2]) {
                    case "exit" -> System.exit(3);
                    case "halt" -> Runtime.getRuntime().halt(4);
                    case "sigterm", "sigkill" -> Thread.sleep(Duration.ofSeconds(20)); // the parent signals us
                    default -> { } // "return"
                }
            }
            default -> throw new IllegalArgumentException("unknown role " + args[0]);
        }
    }

    static void writeReportInDaemon(Path report) throws InterruptedException {
        CountDownLatch threeStepsWritten = new CountDownLatch(3);
        Thread.ofPlatform().name("report-writer").daemon(true).start(() -> {
            try (BufferedWriter out = Files.newBufferedWriter(report)) {
                try {
                    for (int step = 1; step <= 10; step++) {
                        out.write("step " + step + " of 10\n");
                        out.flush();
                        threeStepsWritten.countDown();
                        Thread.sleep(100);
                    }
                } finally {
                    out.write("finally: report closed\n"); // close() would flush it
                }
            } catch (IOException | InterruptedException e) {
                System.out.println("report-writer failed: " + e);
            }
        });
        threeStepsWritten.await(10, TimeUnit.SECONDS);
        // main returns: the last non-daemon thread ends, and the JVM with it
    }

    /* ---- Small helpers -------------------------------------------------------------- */

    static void append(Path file, String text) {
        try {
            Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    static String readQuietly(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void sleepQuietly(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // Polls `condition` every 5 ms for at most `limit`. Only the lesson's own demos poll;
    // the tests use latches and Awaitility.
    static boolean waitUntil(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) return false;
            Thread.sleep(5);
        }
        return true;
    }

    static void deleteTree(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 02`. Stuck? `./jbang hint 2.1` (again for more).
     * ================================================================================= */

    // Exercise 2.1: a heartbeat that runs in the background and never keeps the JVM alive.
    //
    // Start a thread named "heartbeat" that calls `beat.run()` at once and then every
    // `interval`, until it is interrupted, and return it (already started). A program
    // whose main returns while the heartbeat runs must exit at once (the test checks that
    // in a child JVM). When the thread is interrupted, it must end promptly.
    static Thread startHeartbeat(Duration interval, Runnable beat) {
        throw new UnsupportedOperationException("exercise 2.1 is not done yet: see its comment");
    }

    // Exercise 2.2: a worker that stops on interrupt, after finishing the item in hand.
    //
    // On the calling thread, take items from `inbox` one at a time (waiting while it is
    // empty) and pass each to `handler`, until this thread is interrupted. Then stop: an
    // item already taken must still be handled (the interrupt may come while `handler`
    // runs, or just as the item is taken), and no further item may be taken. So every
    // item is handled exactly once, or left in the inbox. Return how many items were
    // handled, with the thread's interrupt flag still set, so the caller can see why.
    static int workUntilInterrupted(BlockingQueue<String> inbox, Consumer<String> handler) {
        throw new UnsupportedOperationException("exercise 2.2 is not done yet: see its comment");
    }

    // Exercise 2.3: save state when the JVM shuts down.
    //
    // Arrange that when this JVM shuts down in an orderly way (main returns, System.exit,
    // SIGTERM), `state.get()` is called at that moment (not now: the state changes until
    // then) and its text is written to `file` in UTF-8, complete, replacing what was
    // there. Write nothing now; return at once.
    static void saveOnExit(Path file, Supplier<String> state) {
        throw new UnsupportedOperationException("exercise 2.3 is not done yet: see its comment");
    }
}

// See also: lesson 01 (starting and joining threads), lesson 03 (what goes wrong when
// threads share data, and why the stop flag must be volatile), lesson 04 (executors and
// asynchronous work) and lesson 05 (processes: child JVMs and signals in depth).
