///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Choosing

/* ------------------------------------------------------------------------------------
 * Lesson 08: choosing a model.
 *
 * We have met threads, pools, parallel streams, fork/join, virtual threads, futures and
 * child processes. Which one should we use? It depends on whether the work is CPU-bound
 * or I/O-bound: this lesson measures that instead of asserting it.
 *
 *     ./jbang lessons/08_choosing.java     run this lesson (add --quick for a short run)
 *     ./jbang check 08                     check your answers to the exercises at the end
 *     ./jbang hint 8.1                     a hint for exercise 8.1, one layer per call
 *
 * We run two workloads in every model the course taught and print one table each: the
 * wall time, the speedup over doing it sequentially, and the physical limit beside it.
 * Then a bar chart, a summary computed from the tables, and Amdahl's law checked against
 * them. Every number is measured in this run, on your machine; on a busy machine the
 * spread (min-max) of the repetitions shows how much of a difference is only noise.
 * ------------------------------------------------------------------------------------ */

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;
import java.util.concurrent.TimeUnit;
import java.util.stream.Gatherers;
import java.util.stream.LongStream;

class Choosing {

    static final long START = System.nanoTime();
    static final int CORES = Runtime.getRuntime().availableProcessors();
    static final String CHILD_ROLE = "cpu-part";
    // No single wait in this lesson may last longer than this: nothing can hang.
    static final Duration BOUND = Duration.ofSeconds(60);
    static boolean quick;
    static int repetitions;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, as in every lesson of this course.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        // The same class is also the child process of the CPU table: started with a role
        // as its first argument, it computes one part and prints it.
        if (args.length > 0 && args[0].equals(CHILD_ROLE)) {
            childPart(Long.parseLong(args[1]), Long.parseLong(args[2]));
            return;
        }
        quick = List.of(args).contains("--quick");
        repetitions = quick ? 3 : 5;
        howWeMeasure();
        Table cpu = cpuBound();
        Table io = ioBound();
        defaultPoolPitfall();
        barChart(cpu);
        barChart(io);
        whichToChoose(cpu, io);
        amdahlAndPython(cpu);
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 08");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * How we measure.
     *
     * One run of a model says little: the JIT compiler has not compiled it yet, and other
     * programs on the machine steal time at random. So we run every model once untimed
     * (the warm-up), then several times timed, taking turns (model A, B, C, then A, B, C
     * again) so that a busy moment hurts all of them alike. We report the median and the
     * spread from the fastest to the slowest run: when two spreads overlap, the
     * difference between the medians is noise, and the summary will say so.
     * --------------------------------------------------------------------------------- */
    static void howWeMeasure() {
        section("How we measure");
        log(String.format("%d cores; %d timed repetitions per model after one warm-up run; median and min-max shown",
                CORES, repetitions));
        log(String.format("the common ForkJoinPool has parallelism %d here; virtual threads run on %d carrier threads",
                ForkJoinPool.getCommonPoolParallelism(), virtualCarriers()));
        log("availableProcessors() counts hardware threads: " + hardwareThreadsPerCore());
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == How we measure ==
     *    87 ms  main             2 cores; 3 timed repetitions per model after one warm-up run; median and min-max shown
     *    93 ms  main             the common ForkJoinPool has parallelism 1 here; virtual threads run on 2 carrier threads
     *   121 ms  main             availableProcessors() counts hardware threads: cpu0 shares its physical core with the hardware threads 0 (itself only: no SMT, so each counts as a core)
     */

    // Linux lists the hardware threads that share cpu0's core; elsewhere we cannot tell.
    static String hardwareThreadsPerCore() {
        try {
            String siblings = Files.readString(Path.of("/sys/devices/system/cpu/cpu0/topology/thread_siblings_list")).strip();
            boolean alone = siblings.matches("\\d+");
            return "cpu0 shares its physical core with the hardware threads " + siblings
                    + (alone ? " (itself only: no SMT, so each counts as a core)"
                            : " (SMT: the real limit for computing lies below " + CORES + "x)");
        } catch (IOException | RuntimeException e) {
            return "this system does not say how many share a physical core (with SMT, two do)";
        }
    }

    // The scheduler of virtual threads is a ForkJoinPool with one carrier per core,
    // unless the system property below says otherwise.
    static int virtualCarriers() {
        return Integer.getInteger("jdk.virtualThreadScheduler.parallelism", CORES);
    }

    /* ---------------------------------------------------------------------------------
     * The CPU-bound workload.
     *
     * A pure computation: for every number i below `size`, 32 rounds of multiply and
     * shift-xor, summed. Each round needs the one before, so the JIT cannot skip or
     * vectorise it, and each element is independent of the others, so any split gives
     * the same total: every model must return the same checksum, and the table marks a
     * model that did not.
     *
     * The limit is the number of cores as the JVM counts them: each runs one thread at a
     * time, so N of them can at best make this N times faster. But
     * `availableProcessors()` counts hardware threads, not physical cores: with SMT
     * (hyper-threading) two hardware threads share one core's execution units, and pure
     * arithmetic like ours gains far less than 2x from the second one. So on such a
     * machine the real limit lies between the physical cores and this count; the lesson
     * prints what this machine says about it. We expect:
     *   - threads, one per core: close to the limit;
     *   - more threads than cores: no better (they take turns on the same cores), maybe
     *     slightly worse (switching between them costs a little);
     *   - a parallel stream: the common pool (cores - 1 workers) plus the calling thread;
     *   - ForkJoinPool with a RecursiveTask: splits the range in halves until the pieces
     *     are small, and idle workers steal the halves that are waiting;
     *   - virtual threads: no help for computing. They are cheap to have many of while
     *     they wait, but they run on one carrier thread per core, so computing on them is
     *     computing on as many threads as cores;
     *   - child JVMs (the way Python's multiprocessing sidesteps its GIL): real
     *     parallelism too, after paying to start a whole JVM for each, which runs the
     *     computation cold, before its JIT compiler has warmed up.
     * --------------------------------------------------------------------------------- */
    static final int ROUNDS = 32;

    static long work(long i) {
        long x = i;
        for (int round = 0; round < ROUNDS; round++) x = (x ^ (x >>> 29)) * 0x9E3779B97F4A7C15L + round;
        return x;
    }

    static long sumOfWork(long from, long to) {
        long sum = 0;
        for (long i = from; i < to; i++) sum += work(i);
        return sum;
    }

    static Table cpuBound() throws Exception {
        long size = quick ? 1_500_000 : 10_000_000;
        int perCore = CORES, oversubscribed = 4 * CORES;
        section(String.format("CPU-bound: %,d elements x %d rounds, split into equal parts", size, ROUNDS));
        try (ForkJoinPool forkJoinPool = new ForkJoinPool(CORES)) {
            List<Model> models = List.of(
                    new Model("sequential", "sequential, 1 thread", 1,
                            n -> sumOfWork(0, n)),
                    new Model("per-core", "threads, 1 per core (" + perCore + ")", CORES,
                            n -> onThreads(Thread.ofPlatform().name("cruncher-", 0), perCore, n)),
                    new Model("oversubscribed", "threads, 4 per core (" + oversubscribed + ")", CORES,
                            n -> onThreads(Thread.ofPlatform().name("cruncher-", 0), oversubscribed, n)),
                    new Model("stream", "parallel stream", Math.min(CORES, ForkJoinPool.getCommonPoolParallelism() + 1),
                            n -> LongStream.range(0, n).parallel().map(Choosing::work).sum()),
                    new Model("fork-join", "ForkJoinPool + RecursiveTask", CORES,
                            n -> forkJoinPool.invoke(new SumOfWork(0, n, Math.max(1, n / (8L * CORES))))),
                    new Model("virtual", "virtual threads (" + oversubscribed + ")", Math.min(CORES, virtualCarriers()),
                            n -> onThreads(Thread.ofVirtual().name("virtual-cruncher-", 0), oversubscribed, n)),
                    new Model("child-jvms", "child JVMs, 1 per core (" + perCore + ")", CORES,
                            n -> inChildJvms(perCore, n)));
            Table table = measure("CPU-bound", CORES, size, models);
            log(String.format("child JVMs: start and end cost, beyond the children's own computing: median %,d ms per run",
                    median(childOverheads) / 1_000_000));
            return table;
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == CPU-bound: 1,500,000 elements x 32 rounds, split into equal parts ==
     *   3525 ms  main             model                             median         min-max  speedup   limit
     *   3527 ms  main             sequential, 1 thread               78 ms       72-195 ms    1.00x      1x
     *   3527 ms  main             threads, 1 per core (2)            62 ms       59-321 ms    1.26x      2x
     *   3528 ms  main             threads, 4 per core (8)            51 ms       43-224 ms    1.52x      2x
     *   3528 ms  main             parallel stream                    56 ms       46-216 ms    1.39x      2x
     *   3529 ms  main             ForkJoinPool + RecursiveTask       39 ms        34-58 ms    1.99x      2x
     *   3529 ms  main             virtual threads (8)                44 ms        38-77 ms    1.76x      2x
     *   3530 ms  main             child JVMs, 1 per core (2)        157 ms      146-328 ms    0.49x      2x
     *   3534 ms  main             child JVMs: start and end cost, beyond the children's own computing: median 237 ms per run
     */

    // Splits [0, size) into `parts` equal ranges, one thread each, and waits (bounded)
    // for all of them. `join` also makes each thread's write to `partial` visible here.
    static long onThreads(Thread.Builder builder, int parts, long size) throws InterruptedException {
        long[] partial = new long[parts];
        List<Thread> threads = new ArrayList<>(parts);
        for (int part = 0; part < parts; part++) {
            int index = part;
            long from = size * part / parts, to = size * (part + 1) / parts;
            threads.add(builder.start(() -> partial[index] = sumOfWork(from, to)));
        }
        for (Thread thread : threads) {
            if (!thread.join(BOUND)) throw new IllegalStateException(thread.getName() + " did not finish in " + BOUND);
        }
        return Arrays.stream(partial).sum();
    }

    // Fork/join: a range larger than the threshold splits in two; we fork the left half
    // (it waits in our queue, where an idle worker can steal it), compute the right half
    // ourselves, then join the left one.
    static final class SumOfWork extends RecursiveTask<Long> {
        final long from, to, threshold;

        SumOfWork(long from, long to, long threshold) {
            this.from = from;
            this.to = to;
            this.threshold = threshold;
        }

        @Override
        protected Long compute() {
            if (to - from <= threshold) return sumOfWork(from, to);
            long middle = (from + to) >>> 1;
            SumOfWork left = new SumOfWork(from, middle, threshold);
            left.fork();
            long right = new SumOfWork(middle, to, threshold).compute();
            return right + left.join();
        }
    }

    // The children are this very class, started as `java -cp <our class path> Choosing
    // cpu-part <from> <to>`. Each prints its part's sum and how long it computed, so we
    // can tell its start cost from its work. Every child is ended before we return,
    // also when something fails.
    static final List<Long> childOverheads = new ArrayList<>();

    static long inChildJvms(int children, long size) throws IOException, InterruptedException {
        List<Process> processes = new ArrayList<>(children);
        long begin = System.nanoTime();
        try {
            for (int part = 0; part < children; part++) {
                long from = size * part / children, to = size * (part + 1) / children;
                processes.add(new ProcessBuilder(javaCommand(CHILD_ROLE, String.valueOf(from), String.valueOf(to))).start());
            }
            long total = 0, slowestChild = 0;
            for (Process process : processes) {
                // The child prints one short line, which fits in the pipe: we may wait
                // for it to end first and read its output afterwards. We parse standard
                // output only: its JVM may print notes of its own on standard error
                // ("Picked up JAVA_TOOL_OPTIONS: ..."), which we show only if it failed.
                if (!process.waitFor(BOUND.toMillis(), TimeUnit.MILLISECONDS)) {
                    throw new IllegalStateException("child JVM " + process.pid() + " did not finish in " + BOUND);
                }
                String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                // Its own line is the last (a JVM may warn on standard output before main).
                String[] fields = output.lines().reduce((first, last) -> last).orElse("").split(" ");
                if (process.exitValue() != 0 || fields.length != 2) {
                    String errors = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip();
                    throw new IllegalStateException("child JVM " + process.pid() + " failed with exit code "
                            + process.exitValue() + ": " + output + (errors.isEmpty() ? "" : "; on standard error: " + errors));
                }
                total += Long.parseLong(fields[0]);
                slowestChild = Math.max(slowestChild, Long.parseLong(fields[1]));
            }
            childOverheads.add(System.nanoTime() - begin - slowestChild);
            return total;
        } finally {
            for (Process process : processes) {
                if (process.isAlive()) {
                    process.destroyForcibly();
                    process.waitFor(5, TimeUnit.SECONDS);
                }
            }
        }
    }

    static List<String> javaCommand(String... roleAndArguments) {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Choosing.class.getName()));
        command.addAll(List.of(roleAndArguments));
        return command;
    }

    static void childPart(long from, long to) {
        long begin = System.nanoTime();
        long sum = sumOfWork(from, to);
        System.out.println(sum + " " + (System.nanoTime() - begin));
    }

    /* ---------------------------------------------------------------------------------
     * The I/O-bound workload.
     *
     * Many calls that each wait: a sleep stands in for a network round trip or a disk
     * read. Waiting needs no core, so the limit is not the core count: with every call in
     * flight at once, the whole batch takes about one call's latency. The speedup limit
     * is the number of calls, and the wall-time floor is one latency.
     *
     * The broken choice first: a fixed pool sized for CPU work (one thread per core) can
     * wait on only that many calls at a time, so it is stuck near `cores` times faster.
     * Then three ways to have one waiting thread per call: a virtual thread per call,
     * `CompletableFuture.supplyAsync` given that same kind of executor explicitly, and a
     * stream with `Gatherers.mapConcurrent`, which runs each element on a virtual thread
     * and keeps the stream's order.
     * --------------------------------------------------------------------------------- */
    static final Duration LATENCY = Duration.ofMillis(10);

    static long slowCall(long i) {
        try {
            Thread.sleep(LATENCY);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for call " + i, e);
        }
        return 3 * i + 1;
    }

    static Table ioBound() throws Exception {
        long calls = quick ? 30 : 100;
        section(String.format("I/O-bound: %d calls, each waiting %d ms", calls, LATENCY.toMillis()));
        List<Model> models = List.of(
                new Model("sequential", "sequential, 1 thread", 1,
                        n -> LongStream.range(0, n).map(Choosing::slowCall).sum()),
                new Model("fixed-pool", "fixed pool, 1 per core (" + CORES + ")", CORES,
                        n -> onExecutor(Executors.newFixedThreadPool(CORES, Thread.ofPlatform().name("pool-worker-", 0).factory()), n)),
                new Model("virtual", "virtual thread per call", calls,
                        n -> onExecutor(Executors.newVirtualThreadPerTaskExecutor(), n)),
                new Model("completable", "CompletableFuture + executor", calls,
                        Choosing::withCompletableFutures),
                new Model("map-concurrent", "Gatherers.mapConcurrent", calls,
                        n -> LongStream.range(0, n).boxed()
                                .gather(Gatherers.mapConcurrent((int) n, Choosing::slowCall))
                                .mapToLong(Long::longValue).sum()));
        Table table = measure("I/O-bound", calls, calls, models);
        log(String.format("the floor: all %d calls at once take at least one latency, %d ms", calls, LATENCY.toMillis()));
        return table;
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == I/O-bound: 30 calls, each waiting 10 ms ==
     *   5271 ms  main             model                             median         min-max  speedup   limit
     *   5271 ms  main             sequential, 1 thread              314 ms      314-314 ms    1.00x      1x
     *   5272 ms  main             fixed pool, 1 per core (2)        159 ms      157-168 ms    1.98x      2x
     *   5273 ms  main             virtual thread per call            12 ms        12-16 ms   25.34x     30x
     *   5273 ms  main             CompletableFuture + executor       13 ms        12-16 ms   25.08x     30x
     *   5273 ms  main             Gatherers.mapConcurrent            12 ms        11-18 ms   26.98x     30x
     *   5274 ms  main             the floor: all 30 calls at once take at least one latency, 10 ms
     */

    // Submits every call, then sums the results; closing the executor waits for its threads.
    static long onExecutor(ExecutorService executor, long calls) throws Exception {
        try (executor) {
            List<Future<Long>> futures = new ArrayList<>();
            for (long i = 0; i < calls; i++) {
                long call = i;
                futures.add(executor.submit(() -> slowCall(call)));
            }
            long sum = 0;
            for (Future<Long> future : futures) sum += future.get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
            return sum;
        }
    }

    static long withCompletableFutures(long calls) throws Exception {
        try (ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor()) {
            List<CompletableFuture<Long>> futures = LongStream.range(0, calls)
                    .mapToObj(i -> CompletableFuture.supplyAsync(() -> slowCall(i), executor)).toList();
            return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                    .thenApply(done -> futures.stream().mapToLong(CompletableFuture::join).sum())
                    .get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /* ---------------------------------------------------------------------------------
     * A pitfall: CompletableFuture without an executor.
     *
     * `supplyAsync(task)` with no executor runs on the common ForkJoinPool, which is
     * sized for computing: cores - 1 workers, so just one on a 2-core machine. Calls that
     * wait then queue behind each other, and the "asynchronous" version is as slow as a
     * loop. That is why the table above passes an executor explicitly.
     * --------------------------------------------------------------------------------- */
    static void defaultPoolPitfall() throws Exception {
        section("Pitfall: CompletableFuture without an executor");
        int calls = 20, parallelism = ForkJoinPool.getCommonPoolParallelism();
        long begin = System.nanoTime();
        List<CompletableFuture<Long>> futures = new ArrayList<>();
        for (long i = 0; i < calls; i++) {
            long call = i;
            futures.add(CompletableFuture.supplyAsync(() -> slowCall(call)));
        }
        CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new)).get(BOUND.toMillis(), TimeUnit.MILLISECONDS);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        log(String.format("%d calls of %d ms on the common pool (parallelism %d): %,d ms; one at a time would be %d ms, all at once %d ms",
                calls, LATENCY.toMillis(), parallelism, millis, calls * LATENCY.toMillis(), LATENCY.toMillis()));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pitfall: CompletableFuture without an executor ==
     *   5483 ms  main             20 calls of 10 ms on the common pool (parallelism 1): 209 ms; one at a time would be 200 ms, all at once 10 ms
     */

    /* ---------------------------------------------------------------------------------
     * The measuring machinery: a model is a name, the limit of its speedup on this
     * machine, and a run that returns the workload's checksum. A result is the sorted
     * wall times of its timed runs. A table is the results of one workload.
     * --------------------------------------------------------------------------------- */
    interface Run {
        long run(long size) throws Exception;
    }

    record Model(String key, String label, double limit, Run run) {}

    record Result(Model model, long[] sortedNanos, boolean correct) {
        long median() {
            return Choosing.median(sortedNanos);
        }

        long min() {
            return sortedNanos[0];
        }

        long max() {
            return sortedNanos[sortedNanos.length - 1];
        }
    }

    record Table(String workload, double limit, List<Result> results) {
        Result sequential() {
            return results.getFirst();
        }

        Result get(String key) {
            return results.stream().filter(result -> result.model().key().equals(key)).findFirst().orElseThrow();
        }

        double speedup(Result result) {
            return (double) sequential().median() / result.median();
        }

        Result fastest() {
            return results.stream().min(Comparator.comparingLong(Result::median)).orElseThrow();
        }
    }

    static Table measure(String workload, double limit, long size, List<Model> models) throws Exception {
        for (Model model : models) model.run().run(Math.max(1, size / 4)); // warm-up, not timed
        long[][] nanos = new long[models.size()][repetitions];
        long[] checksums = new long[models.size()];
        boolean[] correct = new boolean[models.size()];
        Arrays.fill(correct, true);
        for (int repetition = 0; repetition < repetitions; repetition++) {
            for (int m = 0; m < models.size(); m++) {
                long begin = System.nanoTime();
                long checksum = models.get(m).run().run(size);
                nanos[m][repetition] = System.nanoTime() - begin;
                if (repetition == 0) checksums[m] = checksum;
                if (checksum != checksums[m] || checksum != checksums[0]) correct[m] = false;
            }
        }
        List<Result> results = new ArrayList<>();
        for (int m = 0; m < models.size(); m++) {
            Arrays.sort(nanos[m]);
            results.add(new Result(models.get(m), nanos[m], correct[m]));
        }
        Table table = new Table(workload, limit, results);
        log(String.format("%-30s %9s %15s %8s %7s", "model", "median", "min-max", "speedup", "limit"));
        for (Result result : results) {
            log(String.format("%-30s %6s ms %15s %7.2fx %6.0fx%s", result.model().label(), millis(result.median()),
                    millis(result.min()) + "-" + millis(result.max()) + " ms", table.speedup(result),
                    result.model().limit(), result.correct() ? "" : "  WRONG CHECKSUM"));
        }
        return table;
    }

    static long median(long[] sorted) {
        return sorted[sorted.length / 2];
    }

    static long median(List<Long> values) {
        return median(values.stream().mapToLong(Long::longValue).sorted().toArray());
    }

    static String millis(long nanos) {
        return String.format("%,d", Math.round(nanos / 1e6));
    }

    /* ---------------------------------------------------------------------------------
     * The answer at a glance.
     *
     * One bar per model: its speedup over sequential, on a scale where the full width is
     * the workload's limit (the core count for computing, the number of calls for
     * waiting). A bar that reaches the right edge got everything the machine can give.
     * --------------------------------------------------------------------------------- */
    static void barChart(Table table) {
        int width = 40;
        section(String.format("%s: speedup over sequential (full width = the limit, %.0fx)", table.workload(), table.limit()));
        for (Result result : table.results()) {
            double speedup = table.speedup(result);
            int bars = (int) Math.round(Math.min(speedup, table.limit()) / table.limit() * width);
            log(String.format("%-30s |%-" + width + "s| %6.2fx", result.model().label(), "#".repeat(Math.max(bars, 0)), speedup));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == CPU-bound: speedup over sequential (full width = the limit, 2x) ==
     *   5484 ms  main             sequential, 1 thread           |####################                    |   1.00x
     * ? 5484 ms  main             threads, 1 per core (2)        |#########################               |   1.26x
     * ? 5485 ms  main             threads, 4 per core (8)        |##############################          |   1.52x
     * ? 5485 ms  main             parallel stream                |############################            |   1.39x
     * ? 5485 ms  main             ForkJoinPool + RecursiveTask   |########################################|   1.99x
     * ? 5485 ms  main             virtual threads (8)            |###################################     |   1.76x
     * ? 5486 ms  main             child JVMs, 1 per core (2)     |##########                              |   0.49x
     */

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == I/O-bound: speedup over sequential (full width = the limit, 30x) ==
     *   5486 ms  main             sequential, 1 thread           |#                                       |   1.00x
     * ? 5486 ms  main             fixed pool, 1 per core (2)     |###                                     |   1.98x
     * ? 5486 ms  main             virtual thread per call        |##################################      |  25.34x
     * ? 5487 ms  main             CompletableFuture + executor   |#################################       |  25.08x
     * ? 5488 ms  main             Gatherers.mapConcurrent        |####################################    |  26.98x
     */

    /* ---------------------------------------------------------------------------------
     * Which to choose, from the figures above.
     *
     * Nothing below is written in advance: every verdict compares two measured rows. Two
     * models differ only when their spreads do not overlap (the slowest run of one is
     * faster than the fastest run of the other); otherwise the difference is noise.
     *
     * The closing two lines are the one row no figure above can back: work that outgrows
     * one machine. Then the same logic runs across several JVMs on a distributed engine
     * (Hazelcast), which one machine cannot measure, so we only point to the lesson that
     * takes it up: lesson 09.
     * --------------------------------------------------------------------------------- */
    static void whichToChoose(Table cpu, Table io) {
        section("Which to choose, from the figures above");
        Result cpuBest = cpu.fastest();
        log(String.format("CPU-bound: fastest was '%s', %.2fx of a possible %.0fx%s", cpuBest.model().label(),
                cpu.speedup(cpuBest), cpu.limit(), tiedWith(cpu, cpuBest)));
        log("  more threads than cores " + verdict(cpu.get("oversubscribed"), cpu.get("per-core"), "one per core"));
        log("  virtual threads " + verdict(cpu.get("virtual"), cpu.get("per-core"), "platform threads one per core")
                + String.format("; they ran on %d carriers", virtualCarriers()));
        Result children = cpu.get("child-jvms");
        log(String.format("  child JVMs reached %.2fx, paying about %,d ms per run to start and end them",
                cpu.speedup(children), median(childOverheads) / 1_000_000));

        Result ioBest = io.fastest();
        Result pool = io.get("fixed-pool");
        log(String.format("I/O-bound: fastest was '%s', %.2fx of a possible %.0fx (%s ms against a floor of %d ms)%s",
                ioBest.model().label(), io.speedup(ioBest), io.limit(), millis(ioBest.median()), LATENCY.toMillis(),
                tiedWith(io, ioBest)));
        log(String.format("  the fixed pool of %d threads reached %.2fx: it can wait on only %d calls at a time",
                CORES, io.speedup(pool), CORES));

        boolean cpuParallelWon = CORES > 1 && cpuBest != cpu.sequential()
                && cpuBest.max() < cpu.sequential().min();
        boolean oversubscribingHelped = cpu.get("oversubscribed").max() < cpu.get("per-core").min();
        log(cpuParallelWon
                ? "So, for computing: as many threads as cores (a pool of " + CORES + ", a parallel stream or fork/join)"
                        + (oversubscribingHelped ? "; more threads helped this time, a sign of uneven parts" : "; more threads did not help")
                : "So, for computing: this run could not show a parallel gain (one core, or a machine too busy): run it again");
        boolean waitingWon = ioBest.max() < pool.min();
        log(waitingWon
                ? String.format("So, for waiting: one thread per call, and virtual threads make that cheap; a CPU-sized pool was %.0fx slower",
                        (double) pool.median() / ioBest.median())
                : "So, for waiting: this run could not separate the models from the fixed pool: run it again");
        log("And beyond one machine: the same logic across several JVMs on a distributed engine (Hazelcast);");
        log("  one machine cannot measure that, so nothing above does: lesson 09 (./jbang remote)");
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Which to choose, from the figures above ==
     * ? 5498 ms  main             CPU-bound: fastest was 'ForkJoinPool + RecursiveTask', 1.99x of a possible 2x; within the noise of it: 'threads, 4 per core (8)', 'parallel stream', 'virtual threads (8)'
     * ? 5503 ms  main               more threads than cores made no difference we can tell from one per core: the spreads overlap (51 ms, spread 43-224, against 62 ms, spread 59-321)
     * ? 5503 ms  main               virtual threads made no difference we can tell from platform threads one per core: the spreads overlap (44 ms, spread 38-77, against 62 ms, spread 59-321); they ran on 2 carriers
     *   5503 ms  main               child JVMs reached 0.49x, paying about 237 ms per run to start and end them
     * ? 5504 ms  main             I/O-bound: fastest was 'Gatherers.mapConcurrent', 26.98x of a possible 30x (12 ms against a floor of 10 ms); within the noise of it: 'virtual thread per call', 'CompletableFuture + executor'
     *   5504 ms  main               the fixed pool of 2 threads reached 1.98x: it can wait on only 2 calls at a time
     * ? 5506 ms  main             So, for computing: as many threads as cores (a pool of 2, a parallel stream or fork/join); more threads did not help
     * ? 5507 ms  main             So, for waiting: one thread per call, and virtual threads make that cheap; a CPU-sized pool was 14x slower
     *   5507 ms  main             And beyond one machine: the same logic across several JVMs on a distributed engine (Hazelcast);
     *   5507 ms  main               one machine cannot measure that, so nothing above does: lesson 09 (./jbang remote)
     */

    // The rows whose spread overlaps the winner's: within the noise of it.
    static String tiedWith(Table table, Result best) {
        List<String> tied = table.results().stream()
                .filter(result -> result != best && result.min() <= best.max())
                .map(result -> "'" + result.model().label() + "'").toList();
        return tied.isEmpty() ? ", clearly ahead of the rest" : "; within the noise of it: " + String.join(", ", tied);
    }

    static String verdict(Result candidate, Result baseline, String baselineName) {
        String figures = String.format("(%s ms, spread %s-%s, against %s ms, spread %s-%s)", millis(candidate.median()),
                millis(candidate.min()), millis(candidate.max()), millis(baseline.median()), millis(baseline.min()),
                millis(baseline.max()));
        if (candidate.max() < baseline.min()) return "helped, compared with " + baselineName + " " + figures;
        if (baseline.max() < candidate.min()) return "were slower than " + baselineName + " " + figures;
        return "made no difference we can tell from " + baselineName + ": the spreads overlap " + figures;
    }

    /* ---------------------------------------------------------------------------------
     * Amdahl's law, and the contrast with Python.
     *
     * If a fraction p of a job can run in parallel and the rest, e = 1 - p, cannot, N
     * cores give at best speedup(N) = 1 / (e + p / N): the serial part takes as long as
     * ever, and caps the speedup at 1 / e however many cores we add. Turned round, a
     * measured speedup S on N cores gives e = (1/S - 1/N) / (1 - 1/N), the Karp-Flatt
     * metric: the *effective* serial fraction. It is not a property of the code alone: it
     * lumps together the truly serial part, the cost of starting and joining threads,
     * uneven parts, SMT siblings sharing a core, and whatever else the machine ran
     * meanwhile. So we compute it across the spread of the runs as well, and we
     * extrapolate to more cores only when even the least favourable pair of runs showed a
     * gain (p > 0): a law fitted to no gain, or to noise, predicts nothing. Then we check
     * the law against the row with more threads than cores: N in the law counts cores
     * that run at once, not threads.
     *
     * Python, as fact rather than measurement: with CPython's default build, threads do
     * not speed up CPU-bound Python code, because the global interpreter lock lets one
     * thread run bytecode at a time; for that work its threads stay near 1x where ours
     * reached the figure above. Processes (multiprocessing) do speed it up, at a start
     * cost, like our child JVMs. The free-threaded build (PEP 703), an optional build
     * since CPython 3.13 and officially supported since 3.14 (PEP 779), removes the lock.
     * For I/O-bound work, Python's threads and asyncio already overlap the waiting.
     * --------------------------------------------------------------------------------- */
    static void amdahlAndPython(Table cpu) {
        section("Amdahl's law, checked against the CPU table; and Python");
        if (CORES < 2) {
            log("this machine shows one core: two timings on one core say nothing about the parallel fraction");
            return;
        }
        Result one = cpu.sequential(), perCore = cpu.get("per-core"), oversubscribed = cpu.get("oversubscribed");
        double p = impliedFraction(one.median(), perCore.median(), CORES);
        // The least favourable pair (fastest sequential, slowest parallel) and the most favourable one.
        double pLow = impliedFraction(one.min(), perCore.max(), CORES), pHigh = impliedFraction(one.max(), perCore.min(), CORES);
        log(String.format("1 thread %s ms, %d threads %s ms: speedup %.2fx; the effective (Karp-Flatt) serial fraction"
                + " e = %.3f, so the parallel fraction p = %.3f", millis(one.median()), CORES, millis(perCore.median()),
                cpu.speedup(perCore), 1 - p, p));
        log(String.format("across the spread (slowest against fastest runs), e lies between %.3f and %.3f,"
                + " p between %.3f and %.3f",
                1 - pHigh, 1 - pLow, pLow, pHigh));
        if (pLow <= 0) {
            log("the spread includes no gain at all (p <= 0): nothing to extrapolate from, so no prediction for more cores"
                    + " (a busy machine? run it again)");
        } else if (pLow >= 1) {
            log("p is 1 or more across the spread: perfectly parallel within the noise, so this run shows no ceiling");
        } else {
            log(String.format("if e stayed where it is (it tends to grow with N), 8 cores would give %.1fx to %.1fx, 64 cores"
                    + " %.1fx to %.1fx, and no number of cores more than %s", amdahl(pLow, 8), amdahl(Math.min(pHigh, 1), 8),
                    amdahl(pLow, 64), amdahl(Math.min(pHigh, 1), 64),
                    pHigh >= 1 ? String.format("%.1fx, or no ceiling at all (the spread reaches p = 1)", 1 / (1 - pLow))
                            : String.format("%.1fx to %.1fx", 1 / (1 - pLow), 1 / (1 - pHigh))));
            int threads = 4 * CORES;
            double measured = cpu.speedup(oversubscribed);
            double withCores = amdahl(Math.min(p, 1), CORES), withThreads = amdahl(Math.min(p, 1), threads);
            log(String.format("check: %d threads on %d cores measured %.2fx; the law predicts %.2fx with N = %d cores,"
                    + " %.2fx with N = %d threads", threads, CORES, measured, withCores, CORES, withThreads, threads));
            log(Math.abs(measured - withCores) < Math.abs(measured - withThreads)
                    ? "the measurement is nearer the prediction with N = cores: threads beyond the cores add no parallelism"
                    : String.format("the measurement is nearer the prediction with N = threads this time; the two"
                            + " predictions differ by only %.2fx: compare that with the spreads in the table", withThreads - withCores));
        }
        log(String.format("Python: with CPython's default build (a GIL), threads would stay near 1x here, not %.2fx;"
                + " its processes would behave like our child JVMs (%.2fx here, start cost included)", cpu.speedup(perCore),
                cpu.speedup(cpu.get("child-jvms"))));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Amdahl's law, checked against the CPU table; and Python ==
     *   5507 ms  main             1 thread 78 ms, 2 threads 62 ms: speedup 1.26x; the effective (Karp-Flatt) serial fraction e = 0.591, so the parallel fraction p = 0.409
     *   5508 ms  main             across the spread (slowest against fastest runs), e lies between -0.398 and 7.915, p between -6.915 and 1.398
     * ? 5508 ms  main             the spread includes no gain at all (p <= 0): nothing to extrapolate from, so no prediction for more cores (a busy machine? run it again)
     *   5508 ms  main             Python: with CPython's default build (a GIL), threads would stay near 1x here, not 1.26x; its processes would behave like our child JVMs (0.49x here, start cost included)
     */

    static double impliedFraction(long oneThreadNanos, long parallelNanos, int cores) {
        double speedup = (double) oneThreadNanos / parallelNanos;
        return (1 - 1 / speedup) / (1 - 1.0 / cores);
    }

    static double amdahl(double p, int cores) {
        return 1 / ((1 - p) + p / cores);
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 08`. Stuck? `./jbang hint 8.1` (again for more).
     * ================================================================================= */

    // Exercise 8.1: a RecursiveTask that splits a sum until the pieces are small.
    //
    // Return the sum of `pieceSum.sum(from, to)` over pieces that together cover
    // [0, size) exactly once. Write a `RecursiveTask<Long>` for a range [from, to): if it
    // holds at most `threshold` elements, it is one piece, summed by one call to
    // `pieceSum`; otherwise it splits into two halves, forks one, computes the other and
    // joins the forked one. Run it on `pool` (not the common pool) and return its result.
    // A size of 0 sums to 0. The test watches the pieces: none longer than `threshold`,
    // not a crowd of tiny ones, and at least two summed at once on `pool`'s workers.
    interface PieceSum {
        long sum(int from, int to);
    }

    static long forkJoinSum(ForkJoinPool pool, int size, int threshold, PieceSum pieceSum) {
        throw new UnsupportedOperationException("exercise 8.1 is not done yet: see its comment");
    }

    // Exercise 8.2: pick the executor a workload needs.
    //
    // Return a new executor for `workload` (the caller closes it). CPU_BOUND: exactly
    // `Runtime.getRuntime().availableProcessors()` threads, reused from task to task, so
    // that never more tasks run at once than there are cores and the rest wait their
    // turn. IO_BOUND: every task on a virtual thread of its own, started at once however
    // many others are already waiting.
    enum Workload { CPU_BOUND, IO_BOUND }

    static ExecutorService executorFor(Workload workload) {
        throw new UnsupportedOperationException("exercise 8.2 is not done yet: see its comment");
    }

    // Exercise 8.3: the parallel fraction of a job, from two timings, by Amdahl's law.
    //
    // A job took `oneThreadNanos` on one thread and `parallelNanos` on `threads` threads,
    // each on a core of its own. Amdahl's law says speedup = 1 / ((1 - p) + p / threads),
    // where p is the fraction of the work that runs in parallel. Return p, unclamped: a
    // slowdown gives p < 0, a speedup beyond `threads` gives p > 1. Throw an
    // IllegalArgumentException if a time is not positive or `threads` is below 2 (with
    // one thread, the timings say nothing about p). From measured timings this is the
    // effective fraction (1 minus the Karp-Flatt metric), as noisy as the timings are.
    static double parallelFraction(long oneThreadNanos, long parallelNanos, int threads) {
        throw new UnsupportedOperationException("exercise 8.3 is not done yet: see its comment");
    }
}

// See also: lesson 01 (threads and virtual threads), lesson 04 (futures, executors and
// mapConcurrent), lesson 05 (child JVMs, and Pool.map done with threads) and lesson 09
// (the same logic across several JVMs on a distributed engine, Hazelcast: ./jbang remote);
// Amdahl's law, and Gustafson's law for the case where the problem grows with the machine.
