///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Processes

/* ------------------------------------------------------------------------------------
 * Lesson 05: processes.
 *
 * What is a process, how do we start a child JVM, wait for it, read it, and make sure
 * nothing it started outlives us? And when do we want a process rather than a thread?
 *
 *     ./jbang lessons/05_processes.java   run this lesson (add --quick for a short run)
 *     ./jbang check 05                    check your answers to the exercises at the end
 *     ./jbang hint 5.1                    a hint for exercise 5.1, one layer per call
 *
 * A process is a running program with its own address space: its own heap, its own
 * threads, its own open files. Threads share one heap; processes share nothing unless
 * they arrange it (pipes, files, sockets: lesson 06). Python's `multiprocessing` uses
 * processes to get around the GIL; Java has no GIL, so in Java we reach for a process
 * for another reason: isolation. This file is both the parent and, started again with a
 * role argument, every child. Every number it prints was measured just now.
 * ------------------------------------------------------------------------------------ */

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.stream.IntStream;

class Processes {

    static final long START = System.nanoTime();
    static boolean quick;

    // Every line says when it was printed (milliseconds since this JVM started the
    // lesson) and by which thread. Children print with the same helper, so their lines
    // start again near 0 ms: each process has its own clock origin.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        // Started with a role ("pids", "hang", ...), this JVM is a child: play the role.
        if (args.length > 0 && !args[0].startsWith("--")) {
            playChildRole(args);
            return;
        }
        quick = List.of(args).contains("--quick");
        try {
            aProcessIsNotAThread();
            startingAChild();
            waitingForAChild();
            fullPipe();
            endingAChild();
            dataParallelismIsThreads();
            processesAreForIsolation();
        } finally {
            // Whatever a demo left behind (it should be nothing), end it before we go.
            ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly);
        }
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 05");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * Starting a child JVM of ourselves.
     *
     * A child JVM is a new program, so we tell it everything: which `java` (the one
     * running us, found under `java.home`), which class path (ours, from
     * `java.class.path`: under JBang it holds this file's compiled classes), which JVM
     * options (ours, passed on, plus any extra), which main class, and a role argument
     * that `main` above reads to decide what the child does.
     * --------------------------------------------------------------------------------- */
    static ProcessBuilder childJvm(List<String> extraJvmOptions, String... roleAndArgs) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        for (String option : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!option.startsWith("-agentlib:jdwp")) command.add(option); // a debugger port can be taken once
        }
        // A child that starts and ends quickly does not need the optimising compiler.
        command.addAll(List.of("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx64m"));
        command.addAll(extraJvmOptions); // later options win, so these override ours
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(Processes.class.getName());
        command.addAll(List.of(roleAndArgs));
        return new ProcessBuilder(command);
    }

    static ProcessBuilder childJvm(String... roleAndArgs) {
        return childJvm(List.of(), roleAndArgs);
    }

    // Ends a process and everything it started: its descendants are noted first (once
    // the child is gone they are no longer its descendants), then all are killed, then we
    // wait until none is running.
    static void endTree(ProcessHandle root) throws InterruptedException {
        List<ProcessHandle> tree = new ArrayList<>(root.descendants().toList());
        tree.addFirst(root);
        tree.forEach(ProcessHandle::destroyForcibly);
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        for (ProcessHandle handle : tree) {
            while (running(handle) && System.nanoTime() < deadline) Thread.sleep(5);
            if (running(handle)) log("process " + handle.pid() + " did not end within 5 s");
        }
    }

    // A process that has ended stays in the process table as a "zombie" until its parent
    // collects its exit code ("reaps" it), and `isAlive()` still says true until then. Our
    // own children are reaped by the JDK at once; an orphaned grandchild is reaped by
    // whoever adopted it, whenever it gets round to it. So "still running" means alive and
    // not a zombie (on Linux, state Z in /proc/<pid>/stat).
    static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return true; // no /proc on this system: trust isAlive()
        }
    }

    // Runs a child to its end (at most `limit`), returning its exit code and everything
    // it wrote (standard error merged into standard output). Ends it on any failure.
    // The merged text is only shown, never parsed: a JVM may print notes of its own on
    // standard error ("Picked up JAVA_TOOL_OPTIONS: ..." when that variable is set), so a
    // program that parses a child's output reads standard output alone (exercise 5.1).
    record Finished(int exitCode, String output, long millis) {}

    static Finished runToEnd(ProcessBuilder builder, Duration limit) throws IOException, InterruptedException {
        long begin = System.nanoTime();
        Process process = builder.redirectErrorStream(true).start();
        try {
            StringBuilder output = new StringBuilder();
            Thread reader = Thread.ofPlatform().name("child-reader").start(() -> {
                try (InputStream in = process.getInputStream()) {
                    output.append(new String(in.readAllBytes(), StandardCharsets.UTF_8));
                } catch (IOException ignored) {
                    // the child was ended
                }
            });
            if (!process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) {
                throw new IllegalStateException("child did not end within " + limit);
            }
            reader.join(5_000); // the reader ends at the child's end; join also makes its text visible here
            return new Finished(process.exitValue(), output.toString().strip(), (System.nanoTime() - begin) / 1_000_000);
        } finally {
            endTree(process.toHandle());
        }
    }

    /* ---------------------------------------------------------------------------------
     * A process is not a thread.
     *
     * Every thread of this JVM reports the same process id: they all live in one
     * process. A child JVM gets an id of its own, and its parent is us. The notebook's
     * `info()` printed `os.getpid()` and `os.getppid()`; Java's spelling is
     * `ProcessHandle.current().pid()` and `ProcessHandle.current().parent()`.
     * --------------------------------------------------------------------------------- */
    static void aProcessIsNotAThread() throws Exception {
        section("A process is not a thread");
        ProcessHandle me = ProcessHandle.current();
        log("main: pid " + me.pid() + ", parent pid " + me.parent().map(ProcessHandle::pid).orElse(-1L)
                + " (" + me.parent().flatMap(parent -> parent.info().command()).orElse("?") + ")");
        Thread.ofPlatform().name("another-thread").start(() ->
                log("another thread of the same JVM: pid " + ProcessHandle.current().pid() + ", the same process")).join();

        // The child writes straight to our terminal (inheritIO), so its lines appear as
        // it prints them; it runs `playChildRole("info")`.
        Process child = childJvm("info").inheritIO().start();
        try {
            log("started a child JVM: Process.pid() = " + child.pid()
                    + ", its parent is " + child.toHandle().parent().map(ProcessHandle::pid).orElse(-1L));
            boolean ended = child.waitFor(30, TimeUnit.SECONDS);
            log("the child " + (ended ? "ended with exit code " + child.exitValue() : "did not end within 30 s")
                    + "; main is still pid " + me.pid());
        } finally {
            endTree(child.toHandle());
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == A process is not a thread ==
     * ?  37 ms  main             main: pid 8505, parent pid 5056 (/usr/bin/bash)
     *    94 ms  another-thread   another thread of the same JVM: pid 8505, the same process
     * ? 235 ms  main             started a child JVM: Process.pid() = 8958, its parent is 8505
     *    65 ms  main             child JVM: pid 8958, parent pid 8505, main class Processes, role info
     *   442 ms  main             the child ended with exit code 0; main is still pid 8505
     */

    /* ---------------------------------------------------------------------------------
     * Start methods: there is no fork of a running JVM.
     *
     * Python offers three: `fork` copies the running interpreter (its memory, its
     * imported modules, the function object itself); `spawn` starts a fresh interpreter
     * that re-imports the main module to find the function; `forkserver` forks from a
     * small clean server process. The notebook's `spawn` example hung in a notebook: the
     * fresh child had to re-import `__main__`, and a function defined in a notebook cell
     * lives in no importable file, so the child could not find it.
     *
     * A JVM cannot fork itself: every child is a fresh program that starts from its
     * main class, like `spawn`. The property `jdk.lang.Process.launchMechanism` only
     * changes how the OS creates the new process before it runs `java`. POSIX_SPAWN, the
     * default on Linux, spawns the JDK's small `jspawnhelper` program, which then execs
     * `java`. FORK copies our address space (copy-on-write: the pages are shared until one
     * side writes to them) until the exec replaces it. VFORK borrows our address space
     * until the exec, and JDK 25 deprecates it. Whichever: once `java` runs in the child,
     * nothing of our Java state is there. So the Java form of
     * the notebook's mistake is a child that cannot find its entry point: here, one
     * started with a class path that lacks our class.
     * --------------------------------------------------------------------------------- */
    static void startingAChild() throws Exception {
        section("Start methods: every child JVM is a fresh program");
        String mechanism = System.getProperty("jdk.lang.Process.launchMechanism");
        log("jdk.lang.Process.launchMechanism = "
                + (mechanism == null ? "(not set: the JDK's default, POSIX_SPAWN on Linux)" : mechanism));

        Path empty = Files.createTempDirectory("no-classes-here");
        try {
            List<String> command = new ArrayList<>(childJvm("info").command());
            command.set(command.indexOf("-cp") + 1, empty.toString());
            Finished lost = runToEnd(new ProcessBuilder(command), Duration.ofSeconds(30));
            log("a child started with -cp " + empty.getFileName() + " (an empty folder) said:");
            for (String line : lost.output().lines().toList()) log("    " + line);
            log("and ended with exit code " + lost.exitCode());
        } finally {
            Files.deleteIfExists(empty);
        }

        // What a fresh program costs: a child JVM that does nothing, from start() to its
        // end, against starting and joining a thread that does nothing.
        int childRuns = quick ? 3 : 5;
        long[] childMillis = new long[childRuns];
        for (int i = 0; i < childRuns; i++) childMillis[i] = runToEnd(childJvm("noop"), Duration.ofSeconds(30)).millis();
        Arrays.sort(childMillis);
        long childMedian = childMillis[childRuns / 2];
        double platformMicros = microsPerThread(Thread.ofPlatform().name("empty-platform"), quick ? 300 : 1_000);
        double virtualMicros = microsPerThread(Thread.ofVirtual().name("empty-virtual"), quick ? 3_000 : 10_000);
        log(String.format("start and end of an empty child JVM: %,d ms (median of %d runs)", childMedian, childRuns));
        log(String.format("start and join of an empty platform thread: %.1f µs, virtual thread: %.1f µs",
                platformMicros, virtualMicros));
        log(String.format("a child JVM costs about %,.0f platform threads, or %,.0f virtual threads",
                childMedian * 1_000 / platformMicros, childMedian * 1_000 / virtualMicros));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Start methods: every child JVM is a fresh program ==
     *    484 ms  main             jdk.lang.Process.launchMechanism = (not set: the JDK's default, POSIX_SPAWN on Linux)
     *    747 ms  main             a child started with -cp no-classes-here14602251360972240335 (an empty folder) said:
     *    755 ms  main                 Error: Could not find or load main class Processes
     *    756 ms  main                 Caused by: java.lang.ClassNotFoundException: Processes
     *    759 ms  main             and ended with exit code 1
     *   1600 ms  main             start and end of an empty child JVM: 182 ms (median of 3 runs)
     *   1601 ms  main             start and join of an empty platform thread: 311.9 µs, virtual thread: 45.4 µs
     *   1602 ms  main             a child JVM costs about 583 platform threads, or 4,011 virtual threads
     */

    static double microsPerThread(Thread.Builder builder, int count) throws InterruptedException {
        for (int i = 0; i < count / 10; i++) builder.start(() -> {}).join(); // warm-up
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) builder.start(() -> {}).join();
        return (System.nanoTime() - begin) / 1_000.0 / count;
    }

    /* ---------------------------------------------------------------------------------
     * Process: its output, waitFor with a time limit, exit codes, onExit().
     *
     * By default a child's standard streams are pipes to us: what it prints waits in
     * `getInputStream()` until we read it. `inheritIO()` instead gives it our own
     * terminal. `waitFor(timeout)` returns whether it ended; `exitValue()` is its exit
     * code (0 means success by convention); `onExit()` is a CompletableFuture that
     * completes when it ends, so we can react without blocking a thread of ours.
     * --------------------------------------------------------------------------------- */
    static void waitingForAChild() throws Exception {
        section("Reading a child, waiting for it, reacting to its end");
        Process chatty = childJvm("hello").inheritIO().start();
        try {
            boolean ended = chatty.waitFor(30, TimeUnit.SECONDS);
            log("inheritIO: the child's line went straight to the terminal; waitFor(30 s) returned " + ended);
        } finally {
            endTree(chatty.toHandle());
        }

        Process reporter = childJvm("pids").start();
        try {
            String line;
            try (BufferedReader out = reporter.inputReader(StandardCharsets.UTF_8)) {
                line = out.readLine(); // ends at the child's first line or at its end
            }
            boolean ended = reporter.waitFor(30, TimeUnit.SECONDS);
            log("a pipe: we read the child's line ourselves: \"" + line + "\"; exit code "
                    + (ended ? reporter.exitValue() : "(still running)"));
        } finally {
            endTree(reporter.toHandle());
        }

        Process exiting = childJvm("exit").start();
        try {
            var done = exiting.onExit().thenAccept(process ->
                    log("onExit(): pid " + process.pid() + " ended with exit code " + process.exitValue()));
            log("onExit() registered; main does not block on it");
            exiting.getInputStream().transferTo(OutputStream.nullOutputStream());
            done.get(30, TimeUnit.SECONDS);
        } finally {
            endTree(exiting.toHandle());
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Reading a child, waiting for it, reacting to its end ==
     *    144 ms  main             hello from child pid 9401, printing to the terminal it inherited
     *   1920 ms  main             inheritIO: the child's line went straight to the terminal; waitFor(30 s) returned true
     *   2200 ms  main             a pipe: we read the child's line ourselves: "pid 9414 parent 8505"; exit code 0
     *   2425 ms  main             onExit() registered; main does not block on it
     *   2841 ms  ForkJoinPool.commonPool-worker-1 onExit(): pid 9428 ended with exit code 3
     */

    /* ---------------------------------------------------------------------------------
     * The pipe that nobody reads.
     *
     * A pipe holds a limited amount: 64 KiB by default on Linux, and not fixed (a program
     * can change it with fcntl F_SETPIPE_SZ, up to /proc/sys/fs/pipe-max-size). A child
     * that writes more blocks in `write` until someone reads. A parent that waits for the
     * child before reading its output waits forever: the child waits for the parent, the
     * parent for the child. Here the child writes 256 KiB; we wait without reading, with a
     * time limit so the demo cannot hang, then drain the pipe and see the child finish.
     * The time limit starts when the child says (on standard error) that its main runs:
     * starting a JVM alone can take longer than the limit, and then a child that merely
     * had not started yet would look blocked.
     * --------------------------------------------------------------------------------- */
    static void fullPipe() throws Exception {
        section("Deadlock: a full pipe that is never drained");
        int bytes = 256 * 1024;
        Process flooder = childJvm("flood", String.valueOf(bytes)).start();
        try (BufferedReader childErrors = flooder.errorReader(StandardCharsets.UTF_8)) {
            String started; // the child's main runs and is about to write (skipping notes of its JVM, if any)
            do started = childErrors.readLine(); while (started != null && !started.equals("started"));
            long waitMillis = quick ? 500 : 1_000;
            boolean ended = flooder.waitFor(waitMillis, TimeUnit.MILLISECONDS);
            log(String.format("child said \"%s\"; it writes %,d bytes; we wait %,d ms without reading: waitFor returned %s",
                    started, bytes, waitMillis, ended));
            if (ended) log("(it ended anyway: this system's pipe holds more than it wrote)");

            AtomicLong drained = new AtomicLong();
            long begin = System.nanoTime();
            Thread drainer = Thread.ofPlatform().name("pipe-drainer").start(() -> {
                byte[] buffer = new byte[8192];
                try (InputStream in = flooder.getInputStream()) {
                    for (int n; (n = in.read(buffer)) > 0; ) drained.addAndGet(n);
                } catch (IOException ignored) {
                    // the child was ended
                }
            });
            boolean endedNow = flooder.waitFor(30, TimeUnit.SECONDS);
            drainer.join(5_000);
            log(String.format("with a thread draining the pipe: waitFor returned %s after %,d ms, %,d bytes read",
                    endedNow, (System.nanoTime() - begin) / 1_000_000, drained.get()));
            log("then the child said: " + childErrors.readLine());
        } finally {
            endTree(flooder.toHandle());
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Deadlock: a full pipe that is never drained ==
     * ? 3649 ms  main             child said "started"; it writes 262,144 bytes; we wait 500 ms without reading: waitFor returned false
     *   3687 ms  main             with a thread draining the pipe: waitFor returned true after 37 ms, 262,144 bytes read
     *   3687 ms  main             then the child said: wrote all 262,144 bytes, and ends
     */

    /* ---------------------------------------------------------------------------------
     * Ending a child: destroy, destroyForcibly, and its descendants.
     *
     * `destroy()` asks (SIGTERM on Linux): the child's shutdown hooks run, and it exits
     * with 143 (128 + signal 15). `destroyForcibly()` does not ask (SIGKILL): no hook
     * runs, exit code 137 (128 + 9). Both return at once; the child is gone only when
     * `waitFor` or `onExit()` says so. A child may also ignore the polite request (a hook
     * that never finishes): then only the forcible one ends it.
     *
     * The pitfall: ending a child does not end what *it* started. The grandchild loses
     * its parent, is adopted by another process, and is no longer our descendant: if we
     * did not note it first, we lost track of it. So we list `descendants()` first.
     * --------------------------------------------------------------------------------- */
    static void endingAChild() throws Exception {
        section("destroy(), destroyForcibly(), and descendants()");
        for (boolean forcibly : new boolean[] {false, true}) {
            Process sleeper = childJvm("hang").start();
            try (BufferedReader out = sleeper.inputReader(StandardCharsets.UTF_8)) {
                String ready = out.readLine(); // the child prints "ready" once its hook is set
                // Process.destroy() also closes our ends of the child's pipes, so we would
                // never read what its hook says; ProcessHandle's destroy only sends the signal.
                if (forcibly) sleeper.toHandle().destroyForcibly(); else sleeper.toHandle().destroy();
                List<String> after = out.lines().toList(); // to the end: the pipe ends with the child
                boolean ended = sleeper.waitFor(10, TimeUnit.SECONDS);
                log(String.format("%s: child said \"%s\", ended %s with exit code %s; then it said %s",
                        forcibly ? "destroyForcibly()" : "destroy()", ready, ended,
                        ended ? sleeper.exitValue() : "?", after.isEmpty() ? "nothing (no hook ran)" : after));
            } finally {
                endTree(sleeper.toHandle());
            }
        }

        Process middle = childJvm("parent-of-one").start();
        ProcessHandle grandchild = null;
        try (BufferedReader out = middle.inputReader(StandardCharsets.UTF_8)) {
            String line = out.readLine(); // "grandchild <pid>"
            long grandchildPid = Long.parseLong(line.split(" ")[1]);
            grandchild = ProcessHandle.of(grandchildPid).orElseThrow();
            log("child " + middle.pid() + " started a grandchild; our descendants() are "
                    + middle.toHandle().descendants().map(ProcessHandle::pid).toList() + " plus the child");
            middle.destroyForcibly();
            middle.waitFor(10, TimeUnit.SECONDS);
            log("we ended the child only: grandchild " + grandchildPid + " running? " + running(grandchild)
                    + ", its parent is now " + grandchild.parent().map(ProcessHandle::pid).orElse(-1L)
                    + ", our descendants() are " + ProcessHandle.current().descendants().map(ProcessHandle::pid).toList());
        } finally {
            endTree(middle.toHandle());
            if (grandchild != null) endTree(grandchild); // we noted it, so we can still end it
        }
        log("after ending the noted grandchild: running? " + running(grandchild)
                + ". Note descendants() before destroying, then end them all (endTree above)");
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == destroy(), destroyForcibly(), and descendants() ==
     *   3999 ms  main             destroy(): child said "ready", ended true with exit code 143; then it said [shutdown hook ran]
     *   4067 ms  main             destroyForcibly(): child said "ready", ended true with exit code 137; then it said nothing (no hook ran)
     *   4315 ms  main             child 9503 started a grandchild; our descendants() are [9543] plus the child
     * ? 4356 ms  main             we ended the child only: grandchild 9543 running? true, its parent is now 1, our descendants() are []
     *   ...
     */

    /* ---------------------------------------------------------------------------------
     * The notebook's Pool.map is threads in Java.
     *
     * `Pool(5).map(f, xs)` spreads a function over five processes because CPython
     * threads cannot run Python code in parallel. Java threads can (lesson 01 measured
     * it), and they share the heap, so nothing is copied in or out. Three ways, all in
     * input order: `invokeAll` on a fixed pool, a parallel stream (on the common
     * ForkJoinPool, plus the calling thread), and a parallel stream inside a ForkJoinPool
     * of our own size.
     * --------------------------------------------------------------------------------- */
    static void dataParallelismIsThreads() throws Exception {
        section("Pool.map in Java: threads, not processes");
        int cores = Runtime.getRuntime().availableProcessors();
        List<Integer> inputs = IntStream.range(0, 16).map(i -> (quick ? 80_000 : 200_000) + i).boxed().toList();
        Function<Integer, Integer> primesBelow = Processes::primesBelow;
        inputs.stream().limit(4).map(primesBelow).toList(); // warm-up, not measured

        long begin = System.nanoTime();
        List<Integer> sequential = inputs.stream().map(primesBelow).toList();
        long sequentialMillis = (System.nanoTime() - begin) / 1_000_000;

        begin = System.nanoTime();
        List<Integer> pooled = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(cores)) {
            List<Callable<Integer>> tasks = inputs.stream().map(x -> (Callable<Integer>) () -> primesBelow(x)).toList();
            for (Future<Integer> future : pool.invokeAll(tasks)) pooled.add(future.get());
        }
        long pooledMillis = (System.nanoTime() - begin) / 1_000_000;

        begin = System.nanoTime();
        List<Integer> parallel = inputs.parallelStream().map(primesBelow).toList();
        long parallelMillis = (System.nanoTime() - begin) / 1_000_000;

        begin = System.nanoTime();
        List<Integer> ownPool;
        try (ForkJoinPool forkJoin = new ForkJoinPool(cores)) {
            ownPool = forkJoin.submit(() -> inputs.parallelStream().map(primesBelow).toList()).get();
        }
        long ownPoolMillis = (System.nanoTime() - begin) / 1_000_000;

        log(String.format("primesBelow over %d inputs, one after another:          %,5d ms", inputs.size(), sequentialMillis));
        log(String.format("invokeAll on a fixed pool of %d threads:                 %,5d ms", cores, pooledMillis));
        log(String.format("parallel stream (common pool parallelism %d + caller):   %,5d ms",
                ForkJoinPool.commonPool().getParallelism(), parallelMillis));
        log(String.format("parallel stream inside a ForkJoinPool(%d):               %,5d ms", cores, ownPoolMillis));
        log("same results, in input order, all four ways: "
                + (sequential.equals(pooled) && sequential.equals(parallel) && sequential.equals(ownPool)));
        double speedup = (double) sequentialMillis / Math.max(1, pooledMillis);
        log(cores == 1 ? "this machine shows one core: threads cannot run in parallel here, so no speedup"
                : String.format("speedup of the fixed pool over one thread: %.2fx with %d cores (the limit is %dx)%s",
                        speedup, cores, cores, speedup > cores
                                ? "; above the limit, so the machine's load changed between the runs: run it again" : ""));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pool.map in Java: threads, not processes ==
     *   5260 ms  main             primesBelow over 16 inputs, one after another:            186 ms
     *   5263 ms  main             invokeAll on a fixed pool of 2 threads:                   269 ms
     *   5267 ms  main             parallel stream (common pool parallelism 1 + caller):     206 ms
     *   5267 ms  main             parallel stream inside a ForkJoinPool(2):                 148 ms
     *   5268 ms  main             same results, in input order, all four ways: true
     * ? 5268 ms  main             speedup of the fixed pool over one thread: 0.69x with 2 cores (the limit is 2x)
     */

    static int primesBelow(int limit) {
        int count = 0;
        for (int n = 2; n < limit; n++) {
            boolean prime = true;
            for (int d = 2; d * d <= n; d++) {
                if (n % d == 0) { prime = false; break; }
            }
            if (prime) count++;
        }
        return count;
    }

    /* ---------------------------------------------------------------------------------
     * What processes are for: isolation.
     *
     * An OutOfMemoryError is thrown in the thread whose allocation failed, and need not
     * take the JVM down: once that thread's data is garbage, the other threads carry on.
     * But while the heap is full, an allocation in any thread can fail, wherever it is,
     * and leave its work half done; and a thread that calls `System.exit` ends the whole
     * JVM. In a child process, both stay in the child (ours below ends because the error
     * kills its main thread, its only one). A child can also run with JVM options we do
     * not have: another heap limit, another system property, another garbage collector.
     * `System.exit(3)` runs shutdown hooks; `Runtime.halt(7)` ends at once, without them.
     * --------------------------------------------------------------------------------- */
    static void processesAreForIsolation() throws Exception {
        section("Processes are for isolation");
        Finished oom = runToEnd(childJvm(List.of("-Xmx16m"), "oom"), Duration.ofSeconds(30));
        log("a child with -Xmx16m that keeps allocating: exit code " + oom.exitCode() + ", its last words: "
                + oom.output().lines().filter(line -> line.contains("OutOfMemoryError")).findFirst().orElse(oom.output()));
        Runtime runtime = Runtime.getRuntime();
        log(String.format("the parent carries on: %,d MiB of our %,d MiB heap in use",
                (runtime.totalMemory() - runtime.freeMemory()) >> 20, runtime.maxMemory() >> 20));

        Finished exited = runToEnd(childJvm("exit"), Duration.ofSeconds(30));
        log("a child that calls System.exit(3): exit code " + exited.exitCode() + ", it said " + exited.output().lines().toList());
        Finished halted = runToEnd(childJvm("halt"), Duration.ofSeconds(30));
        log("a child that calls Runtime.halt(7): exit code " + halted.exitCode() + ", it said " + halted.output().lines().toList());

        Finished other = runToEnd(childJvm(List.of("-Xmx32m", "-Dlesson.mood=isolated"), "heap"), Duration.ofSeconds(30));
        log("a child with -Xmx32m -Dlesson.mood=isolated reports: " + other.output());
        log(String.format("while this JVM has: max heap %,d MiB, lesson.mood=%s",
                runtime.maxMemory() >> 20, System.getProperty("lesson.mood")));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Processes are for isolation ==
     *   5430 ms  main             a child with -Xmx16m that keeps allocating: exit code 1, its last words: Exception in thread "main" java.lang.OutOfMemoryError: Java heap space
     *   5433 ms  main             the parent carries on: 12 MiB of our 6,028 MiB heap in use
     *   5619 ms  main             a child that calls System.exit(3): exit code 3, it said [shutdown hook ran]
     *   5995 ms  main             a child that calls Runtime.halt(7): exit code 7, it said [halting]
     *   6177 ms  main             a child with -Xmx32m -Dlesson.mood=isolated reports: max heap 30 MiB, lesson.mood=isolated
     *   6177 ms  main             while this JVM has: max heap 6,028 MiB, lesson.mood=null
     */

    /* ---------------------------------------------------------------------------------
     * The child side: what this program does when started with a role argument.
     * Every child ends by itself within a minute, even if its parent forgot it.
     * --------------------------------------------------------------------------------- */
    static void playChildRole(String[] args) throws Exception {
        ProcessHandle me = ProcessHandle.current();
        long parentPid = me.parent().map(ProcessHandle::pid).orElse(-1L);
        switch (args[0]) {
            case "info" -> log("child JVM: pid " + me.pid() + ", parent pid " + parentPid + ", main class "
                    + Processes.class.getName() + ", role " + args[0]);
            case "pids" -> System.out.println("pid " + me.pid() + " parent " + parentPid);
            case "noop" -> { }
            case "hello" -> log("hello from child pid " + me.pid() + ", printing to the terminal it inherited");
            case "flood" -> {
                int bytes = Integer.parseInt(args[1]);
                byte[] line = "x".repeat(1023).concat("\n").getBytes(StandardCharsets.US_ASCII);
                System.err.println("started");
                for (int written = 0; written < bytes; written += line.length) System.out.write(line);
                System.out.flush();
                System.err.printf("wrote all %,d bytes, and ends%n", bytes);
            }
            case "hang" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
                System.out.println("ready");
                Thread.sleep(Duration.ofSeconds(60));
            }
            case "parent-of-one" -> {
                Process grandchild = childJvm(List.of("-Xmx16m"), "hang").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
                System.out.println("grandchild " + grandchild.pid());
                Thread.sleep(Duration.ofSeconds(60));
            }
            case "oom" -> {
                List<long[]> hoard = new ArrayList<>();
                while (true) hoard.add(new long[1 << 16]);
            }
            case "exit" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
                System.exit(3);
            }
            case "halt" -> {
                Runtime.getRuntime().addShutdownHook(new Thread(() -> System.out.println("shutdown hook ran")));
                System.out.println("halting");
                System.out.flush();
                Runtime.getRuntime().halt(7);
            }
            case "heap" -> System.out.printf("max heap %,d MiB, lesson.mood=%s%n",
                    Runtime.getRuntime().maxMemory() >> 20, System.getProperty("lesson.mood"));
            default -> {
                System.err.println("unknown role: " + args[0]);
                System.exit(2);
            }
        }
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 05`. Stuck? `./jbang hint 5.1` (again for more).
     * ================================================================================= */

    // What exercise 5.1 returns: the child's pid as the parent saw it (`Process.pid()`),
    // and the two numbers the child printed about itself.
    record PidReport(long processPid, long reportedPid, long reportedParentPid) {}

    // Exercise 5.1: start a child JVM of this class, and read what it says about itself.
    //
    // Start a child JVM running this class with the single argument "pids": the `java`
    // under `System.getProperty("java.home")`, `-cp` with `System.getProperty("java.class.path")`,
    // then the main class name `Processes`. The child prints one line,
    // `pid <its pid> parent <its parent's pid>`, on its standard output, and exits with 0.
    // Parse standard output only: a JVM may print notes of its own on standard error. Pass
    // the command as a list (paths may hold spaces). Read that line, wait at
    // most 30 s for the child to end (if it does not, end it and throw
    // IllegalStateException), and throw IllegalStateException with the child's output if
    // its exit code is not 0. Return PidReport(process.pid(), <pid printed>, <parent printed>).
    // The child must have ended when you return.
    static PidReport reportPids() throws IOException, InterruptedException {
        throw new UnsupportedOperationException("exercise 5.1 is not done yet: see its comment");
    }

    // Exercise 5.2: Pool.map, the Java way: an ordered parallel map on `workers` threads.
    //
    // Apply `function` to every item, on exactly `workers` threads of your own (not the
    // caller's), so that up to `workers` calls run at the same time and never more.
    // Return the results in the order of `items`, whatever order the calls finish in.
    // When you return, every thread you started has ended. If a call throws, throw an
    // IllegalStateException with that exception as its cause.
    static <T, R> List<R> parallelMap(List<T> items, int workers, Function<T, R> function) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 5.2 is not done yet: see its comment");
    }

    // Exercise 5.3: a supervisor that restarts a flaky child and leaves nothing behind.
    //
    // Run `command` as a child process (its output may be discarded). If it exits with 0
    // within `limit`, return the number of the attempt that succeeded (1 for the first).
    // If it exits with another code, or is still running after `limit` (then end it, and
    // everything it started, for good: it may ignore a polite request, and wait for it to
    // end), start it again. Make at most `maxAttempts` attempts in all; after the last
    // failed one, throw IllegalStateException("gave up after <maxAttempts> attempts").
    // Whether you return or throw, no process you started (nor any process they started)
    // may be left running.
    static int supervise(List<String> command, Duration limit, int maxAttempts) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("exercise 5.3 is not done yet: see its comment");
    }
}

// See also: lesson 01 (threads, and why Java needs no processes for parallelism) and
// lesson 06 (processes that talk: pipes, files and sockets between JVMs).
