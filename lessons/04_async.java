///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Async
//JAVA_OPTIONS --enable-native-access=ALL-UNNAMED

/* ------------------------------------------------------------------------------------
 * Lesson 04: asynchronous work.
 *
 * How do we wait for slow things (a network call, a timer, a disk) without holding a
 * thread per wait, combine their results, give up on time, and not lose their failures?
 *
 *     ./jbang lessons/04_async.java       run this lesson (add --quick for a short run)
 *     ./jbang check 04                    check your answers to the exercises at the end
 *     ./jbang hint 4.1                    a hint for exercise 4.1, one layer per call
 *
 * Python answers with `asyncio`: an event loop, coroutines marked `async`, and `await`
 * at every point where a coroutine may wait. Java has two answers that need no new
 * keywords: `CompletableFuture`, a value that arrives later and that we can chain
 * callbacks onto, and virtual threads, on which plain blocking code waits cheaply.
 * Every number this lesson prints was measured just now, on your machine.
 * ------------------------------------------------------------------------------------ */

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Gatherers;
import java.util.stream.IntStream;

class Async {

    static final long START = System.nanoTime();
    static boolean quick;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, so you can see who did what, and when.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    static void main(String[] args) throws Exception {
        quick = List.of(args).contains("--quick");
        helloWaitWorld();
        plainBlockingOnAVirtualThread();
        sequentialVersusConcurrent();
        waitingForManyOrForOne();
        whichThreadRunsACallback();
        failuresAndDeadlines();
        cancellingATask();
        manyWaitingTasks();
        pinning();
        orderedMapWithALimit();
        starvationDeadlock();
        blockingOnTheCommonPool();
        lostExceptions();
        scopedValuesAndThreadLocals();
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 04");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    // The number of live platform threads in this JVM (virtual threads are not counted).
    static int platformThreads() {
        return ManagementFactory.getThreadMXBean().getThreadCount();
    }

    // The exception a stage really failed with: a CompletionException is only its wrapper.
    static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException wrapper && wrapper.getCause() != null ? wrapper.getCause() : failure;
    }

    // An exception in short: its class's simple name and its message.
    static String describe(Throwable failure) {
        return failure.getClass().getSimpleName() + ": " + failure.getMessage();
    }

    static void sleep(Duration duration) {
        try {
            Thread.sleep(duration);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /* ---------------------------------------------------------------------------------
     * hello, wait a second, world.
     *
     * The notebook's first asyncio example prints "hello", awaits `asyncio.sleep(1)` and
     * prints "world". The wait holds no thread: the event loop sets a timer and runs
     * other coroutines meanwhile. Java's closest match is a timer too:
     * `CompletableFuture.delayedExecutor(delay, unit, executor)` hands a task to one
     * shared timer thread (on JDK 25 "ForkJoinPool.commonPool-delayScheduler"), which
     * passes it to `executor` when the time is up. Main is free all along.
     *
     * We pass `Runnable::run` as that executor, so the timer thread runs our task itself:
     * the "world" line names it. Fine for a log line, wrong for real work: it is the one
     * timer thread of the whole JVM, behind every delayedExecutor, orTimeout and
     * completeOnTimeout, and while our code runs on it every other timer in the JVM is
     * late. Real work gets an executor of its own: delayedExecutor(delay, unit, io).
     *
     * To show that a wait costs no thread, we then start 10,000 such one-second waits at
     * once and count the JVM's platform threads while they are pending.
     * --------------------------------------------------------------------------------- */
    static void helloWaitWorld() throws Exception {
        section("hello, wait, world: a wait that holds no thread");
        Duration wait = Duration.ofMillis(quick ? 200 : 1000);
        long begin = System.nanoTime();
        log("hello");
        Executor afterTheWait = CompletableFuture.delayedExecutor(wait.toMillis(), TimeUnit.MILLISECONDS, Runnable::run);
        CompletableFuture<Void> world = CompletableFuture.runAsync(() -> log("world"), afterTheWait);
        log("main is not blocked: it carries on while the timer runs");
        world.get(10, TimeUnit.SECONDS);
        log(String.format("'world' came %,d ms after 'hello' (we asked for %,d ms)",
                (System.nanoTime() - begin) / 1_000_000, wait.toMillis()));

        int waits = 10_000;
        int threadsBefore = platformThreads();
        AtomicInteger woken = new AtomicInteger();
        List<CompletableFuture<Void>> pending = new ArrayList<>(waits);
        for (int i = 0; i < waits; i++) pending.add(CompletableFuture.runAsync(woken::incrementAndGet, afterTheWait));
        int threadsDuring = platformThreads();
        CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        log(String.format("%,d pending %,d ms waits: %d platform threads before, %d while they waited; %,d woke up",
                waits, wait.toMillis(), threadsBefore, threadsDuring, woken.get()));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == hello, wait, world: a wait that holds no thread ==
     *        1 ms  main             hello
     *       48 ms  main             main is not blocked: it carries on while the timer runs
     *      248 ms  ForkJoinPool.commonPool-delayScheduler world
     *      251 ms  main             'world' came 248 ms after 'hello' (we asked for 200 ms)
     *      510 ms  main             10,000 pending 200 ms waits: 7 platform threads before, 7 while they waited; 10,000 woke up
     */

    /* ---------------------------------------------------------------------------------
     * The same, with a virtual thread and a plain blocking sleep.
     *
     * In Python, a coroutine must say `await asyncio.sleep(1)`. A plain `time.sleep(1)`
     * inside it would stop the whole event loop, and every other coroutine with it; so
     * a function that waits must be `async`, and so must every function that calls it.
     * That split of the world into two kinds of function is called "function colouring".
     *
     * Java has no such split. `Thread.sleep` (or a blocking socket read, or a lock) on a
     * virtual thread parks the virtual thread and gives its carrier (the platform thread
     * under it) back to the scheduler, so the same ordinary method waits cheaply on a
     * virtual thread and works as before on a platform thread. The price is paid once, in
     * the JVM, not in every signature. We run one method, `helloWorld`, both ways.
     * --------------------------------------------------------------------------------- */
    static void plainBlockingOnAVirtualThread() throws Exception {
        section("The same with a virtual thread and a plain sleep: no async/await");
        Duration wait = Duration.ofMillis(quick ? 200 : 1000);
        Runnable helloWorld = () -> {
            log("hello");
            sleep(wait);
            log("world");
        };
        long begin = System.nanoTime();
        Thread greeter = Thread.ofVirtual().name("virtual-greeter").start(helloWorld);
        if (!greeter.join(wait.multipliedBy(10))) log("the greeter did not finish in time");
        log(String.format("the virtual thread took %,d ms; it is virtual: %b",
                (System.nanoTime() - begin) / 1_000_000, greeter.isVirtual()));

        int greeters = 10_000;
        int threadsBefore = platformThreads();
        begin = System.nanoTime();
        List<Thread> threads = new ArrayList<>(greeters);
        for (int i = 0; i < greeters; i++) {
            threads.add(Thread.ofVirtual().name("greeter-" + i).start(() -> sleep(wait)));
        }
        int threadsDuring = platformThreads();
        for (Thread thread : threads) thread.join();
        log(String.format("%,d virtual threads slept %,d ms each, all in %,d ms, on %d platform threads (%d before)",
                greeters, wait.toMillis(), (System.nanoTime() - begin) / 1_000_000, threadsDuring, threadsBefore));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == The same with a virtual thread and a plain sleep: no async/await ==
     *      523 ms  virtual-greeter  hello
     *      730 ms  virtual-greeter  world
     *      732 ms  main             the virtual thread took 219 ms; it is virtual: true
     *     1198 ms  main             10,000 virtual threads slept 200 ms each, all in 465 ms, on 11 platform threads (11 before)
     */

    /* ---------------------------------------------------------------------------------
     * A timeline of simulated calls.
     *
     * Our "services" sleep for a fixed time and record when they started and finished,
     * relative to the start of the timeline. `draw` prints one bar per call, scaled to
     * time, so we can see which calls overlapped.
     * --------------------------------------------------------------------------------- */
    record Span(String name, long startNanos, long endNanos) {}

    static final class Timeline {
        final long origin = System.nanoTime();
        final List<Span> spans = Collections.synchronizedList(new ArrayList<>());

        String call(String name, long millis, String answer) {
            long start = System.nanoTime() - origin;
            sleep(Duration.ofMillis(millis));
            spans.add(new Span(name, start, System.nanoTime() - origin));
            return answer;
        }

        long totalMillis() {
            synchronized (spans) {
                return spans.stream().mapToLong(Span::endNanos).max().orElse(0) / 1_000_000;
            }
        }

        void draw(String title, long scaleMillis) {
            System.out.printf("  %s: %,d ms in all (one # is %d ms)%n", title, totalMillis(), scaleMillis / 50);
            synchronized (spans) {
                for (Span span : spans.stream().sorted(java.util.Comparator.comparingLong(Span::startNanos)).toList()) {
                    int from = (int) Math.round(span.startNanos() / 1e6 / scaleMillis * 50);
                    int to = Math.max(from + 1, (int) Math.round(span.endNanos() / 1e6 / scaleMillis * 50));
                    System.out.printf("    %-10s |%s%s%s| %5d - %5d ms%n", span.name(), " ".repeat(Math.min(from, 50)),
                            "#".repeat(Math.min(to, 50) - Math.min(from, 50)), " ".repeat(Math.max(0, 50 - to)),
                            span.startNanos() / 1_000_000, span.endNanos() / 1_000_000);
                }
            }
        }
    }

    // The latency of a simulated call in the timeline demos: half as long with --quick.
    static long latency(long millis) {
        return quick ? millis / 2 : millis;
    }

    // Our executor for waiting work: a new virtual thread per task, named for its job.
    static ExecutorService ioExecutor(String name) {
        return Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name(name + "-", 0).factory());
    }

    /* ---------------------------------------------------------------------------------
     * CompletableFuture: sequential versus concurrent.
     *
     * A page needs a user (300 ms), then that user's orders (200 ms: it needs the user
     * first), prices (400 ms) and recommendations (250 ms). Called one after another,
     * the waits add up. With futures, we start every independent call at once and
     * describe what to do with the results when they come:
     *
     *   supplyAsync(call, executor)   start a call on the executor we name
     *   thenCompose(user -> ...)      start a call that needs the previous result
     *   thenCombine(other, f)         join two independent results
     *   thenApply(f)                  transform a result
     *
     * Then only the longest chain of dependent calls counts: user + orders, 500 ms.
     * We pass the executor explicitly every time; a later section shows why. (With
     * --quick, every simulated call here and in the next section takes half as long.)
     * --------------------------------------------------------------------------------- */
    static void sequentialVersusConcurrent() throws Exception {
        section("CompletableFuture: sequential versus concurrent calls, on a timeline");
        Timeline sequential = new Timeline();
        String user = sequential.call("user", latency(300), "ada");
        String orders = sequential.call("orders", latency(200), "3 orders of " + user);
        String prices = sequential.call("prices", latency(400), "prices");
        String recommended = sequential.call("recommend", latency(250), "2 tips");
        String page = (orders + ", " + prices + ", " + recommended).toUpperCase();
        log("sequential page: " + page);

        Timeline concurrent;
        try (ExecutorService io = ioExecutor("io")) {
            concurrent = new Timeline();
            CompletableFuture<String> userFuture =
                    CompletableFuture.supplyAsync(() -> concurrent.call("user", latency(300), "ada"), io);
            CompletableFuture<String> ordersFuture = userFuture.thenCompose(name ->
                    CompletableFuture.supplyAsync(() -> concurrent.call("orders", latency(200), "3 orders of " + name), io));
            CompletableFuture<String> pricesFuture =
                    CompletableFuture.supplyAsync(() -> concurrent.call("prices", latency(400), "prices"), io);
            CompletableFuture<String> tipsFuture =
                    CompletableFuture.supplyAsync(() -> concurrent.call("recommend", latency(250), "2 tips"), io);
            CompletableFuture<String> pageFuture = ordersFuture
                    .thenCombine(pricesFuture, (o, p) -> o + ", " + p)
                    .thenCombine(tipsFuture, (op, t) -> op + ", " + t)
                    .thenApply(String::toUpperCase);
            log("concurrent page: " + pageFuture.get(10, TimeUnit.SECONDS));
        }
        long scale = Math.max(sequential.totalMillis(), concurrent.totalMillis());
        sequential.draw("sequential", scale);
        concurrent.draw("concurrent", scale);
        log(String.format("sequential %,d ms, concurrent %,d ms: the longest dependent chain (user + orders) is %d ms",
                sequential.totalMillis(), concurrent.totalMillis(), latency(300) + latency(200)));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == CompletableFuture: sequential versus concurrent calls, on a timeline ==
     *     1787 ms  main             sequential page: 3 ORDERS OF ADA, PRICES, 2 TIPS
     *     2071 ms  main             concurrent page: 3 ORDERS OF ADA, PRICES, 2 TIPS
     *     sequential: 580 ms in all (one # is 11 ms)
     *   ...
     *     concurrent: 270 ms in all (one # is 11 ms)
     * ?     user       | #############                                    |    14 -   168 ms
     * ?     prices     |  #################                               |    17 -   218 ms
     * ?     recommend  |  ##########                                      |    17 -   143 ms
     * ?     orders     |               ########                           |   170 -   270 ms
     *     2089 ms  main             sequential 580 ms, concurrent 270 ms: the longest dependent chain (user + orders) is 250 ms
     */

    /* ---------------------------------------------------------------------------------
     * allOf and anyOf.
     *
     * `allOf(futures...)` completes when every one of them has; it carries no value
     * (we read each future afterwards with `join`, which no longer waits). `anyOf`
     * completes as soon as the first one completes, with that one's outcome: its value,
     * or its failure. We ask three mirrors of the same file: allOf waits for the
     * slowest, anyOf takes the fastest. Then a mirror that fails fast races one that
     * answers a little later: anyOf fails, though an answer was on its way (exercise
     * 4.3 builds the "first success" that anyOf is not).
     * --------------------------------------------------------------------------------- */
    static void waitingForManyOrForOne() throws Exception {
        section("allOf waits for every call, anyOf for the first");
        try (ExecutorService io = ioExecutor("mirror")) {
            Timeline timeline = new Timeline();
            long[] latencies = {350, 120, 230};
            List<CompletableFuture<String>> mirrors = new ArrayList<>();
            for (int i = 0; i < latencies.length; i++) {
                String name = "mirror-" + (char) ('a' + i);
                long millis = latency(latencies[i]);
                mirrors.add(CompletableFuture.supplyAsync(() -> timeline.call(name, millis, name), io));
            }
            long begin = System.nanoTime();
            Object fastest = CompletableFuture.anyOf(mirrors.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            log(String.format("anyOf: %s answered first, after %,d ms", fastest, (System.nanoTime() - begin) / 1_000_000));
            CompletableFuture.allOf(mirrors.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
            List<String> all = mirrors.stream().map(CompletableFuture::join).toList();
            log(String.format("allOf: all of %s answered after %,d ms", all, (System.nanoTime() - begin) / 1_000_000));
            timeline.draw("three mirrors", latency(400));

            CompletableFuture<String> down = CompletableFuture.supplyAsync(() -> {
                sleep(Duration.ofMillis(latency(60)));
                throw new IllegalStateException("mirror-d is down");
            }, io);
            CompletableFuture<String> late =
                    CompletableFuture.supplyAsync(() -> timeline.call("mirror-e", latency(200), "mirror-e"), io);
            try {
                CompletableFuture.anyOf(down, late).get(10, TimeUnit.SECONDS);
                log("anyOf of a failing and a working mirror answered: the failure was not first this time");
            } catch (ExecutionException e) {
                log(String.format("anyOf of a failing and a working mirror: failed (%s); %s answered later",
                        e.getCause().getMessage(), late.get(10, TimeUnit.SECONDS)));
            }
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == allOf waits for every call, anyOf for the first ==
     * ?   2156 ms  main             anyOf: mirror-b answered first, after 60 ms
     *     2272 ms  main             allOf: all of [mirror-a, mirror-b, mirror-c] answered after 176 ms
     *     three mirrors: 181 ms in all (one # is 4 ms)
     * ?     mirror-a   | ############################################     |     5 -   181 ms
     * ?     mirror-b   | ###############                                  |     5 -    65 ms
     * ?     mirror-c   | #############################                    |     5 -   121 ms
     * ?   2378 ms  main             anyOf of a failing and a working mirror: failed (mirror-d is down); mirror-e answered later
     */

    /* ---------------------------------------------------------------------------------
     * Which thread runs a callback?
     *
     * A stage chained without "Async" (thenApply, thenAccept, exceptionally, ...) has no
     * executor of its own. It runs on whichever thread gets there last: if the future is
     * already complete when we chain, our own thread runs the callback at once, inside
     * the thenApply call; if it is not, the thread that later completes the future runs
     * it, right after it stores the value. So the same line of code runs on main in one
     * run and on a pool thread in another, depending on who was first. (A future that
     * completes while we chain can go either way.)
     *
     * A stage chained with "Async" is handed to an executor: the one we pass, or the
     * common pool when we pass none (see "blocking calls on the common pool" below). We
     * chain a callback that reports its thread onto a future that is already complete,
     * then onto one whose supplier waits at a gate until the callback is attached, then
     * with thenApplyAsync, without an executor and with one.
     * --------------------------------------------------------------------------------- */
    static void whichThreadRunsACallback() throws Exception {
        section("Which thread runs a callback: thenApply versus thenApplyAsync");
        Function<Integer, String> whoRanMe = value -> Thread.currentThread().getName();

        String ranOn = CompletableFuture.completedFuture(1).thenApply(whoRanMe).join();
        log("thenApply on a future that was already complete ran on: " + ranOn);

        try (ExecutorService io = ioExecutor("io")) {
            CountDownLatch callbackAttached = new CountDownLatch(1);
            CompletableFuture<Integer> notYetComplete = CompletableFuture.supplyAsync(() -> {
                awaitGate(callbackAttached);
                return 1;
            }, io);
            CompletableFuture<String> callback = notYetComplete.thenApply(whoRanMe);
            callbackAttached.countDown();
            log("thenApply on a future not yet complete ran on: " + callback.get(10, TimeUnit.SECONDS)
                    + " (the thread that completed it)");

            log("thenApplyAsync without an executor ran on: "
                    + CompletableFuture.completedFuture(1).thenApplyAsync(whoRanMe).get(10, TimeUnit.SECONDS));
            log("thenApplyAsync(f, io) ran on: "
                    + CompletableFuture.completedFuture(1).thenApplyAsync(whoRanMe, io).get(10, TimeUnit.SECONDS));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Which thread runs a callback: thenApply versus thenApplyAsync ==
     *     2380 ms  main             thenApply on a future that was already complete ran on: main
     *     2382 ms  main             thenApply on a future not yet complete ran on: io-0 (the thread that completed it)
     *     2383 ms  main             thenApplyAsync without an executor ran on: ForkJoinPool.commonPool-worker-1
     *     2384 ms  main             thenApplyAsync(f, io) ran on: io-1
     */

    // Waits until the gate opens; an interrupt ends the wait with a CompletionException.
    static void awaitGate(CountDownLatch gate) {
        try {
            if (!gate.await(10, TimeUnit.SECONDS)) throw new IllegalStateException("the gate never opened");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new CompletionException(e);
        }
    }

    /* ---------------------------------------------------------------------------------
     * Failures and deadlines.
     *
     * A failed call completes its future "exceptionally"; every stage chained after it
     * is skipped and fails too, until one handles it: `exceptionally(e -> fallback)`
     * replaces a failure with a value, `handle((value, failure) -> ...)` sees both cases.
     *
     * The failure that handle, whenComplete and exceptionally receive is often not the
     * exception that was thrown but a `CompletionException` around it: supplyAsync wraps
     * whatever its supplier throws, and a stage that fails because an earlier one failed
     * gets that failure wrapped too. Only a future failed directly, with
     * `completeExceptionally(e)`, hands over e itself. So our code unwraps (`unwrap`,
     * below) before it looks at the failure. get() unwraps for us (the original is the
     * ExecutionException's cause); join() throws the CompletionException.
     *
     * A call that never answers is worse than one that fails. `orTimeout(d)` fails the
     * future with a `TimeoutException` after d; `completeOnTimeout(value, d)` completes
     * it with a default instead. Neither stops the slow call itself: `CompletableFuture`
     * cannot interrupt the code that would have completed it. We end those calls by
     * shutting their executor down with `shutdownNow()`, which interrupts its threads.
     * When the time is up, the JVM-wide timer thread of the first section completes the
     * future, and so it also runs the stages chained to it without "Async" (thenApply,
     * exceptionally, ...): keep those short, or chain with thenApplyAsync(f, executor).
     * --------------------------------------------------------------------------------- */
    static void failuresAndDeadlines() throws Exception {
        section("Failures and deadlines: exceptionally, handle, orTimeout, completeOnTimeout");
        ExecutorService io = ioExecutor("flaky");
        try {
            Supplier<String> broken = () -> {
                throw new IllegalStateException("price service: 503");
            };
            CompletableFuture<String> failing = CompletableFuture.supplyAsync(broken, io);
            CompletableFuture<String> shouted = failing.thenApply(String::toUpperCase);
            try {
                shouted.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                log("the next thenApply was skipped and failed with: " + describe(e.getCause()));
            }
            log("exceptionally: " + failing.exceptionally(e -> "cached prices").get(10, TimeUnit.SECONDS));
            log("handle: " + failing.handle((value, failure) -> failure == null ? value
                    : "got a " + failure.getClass().getSimpleName() + " around " + describe(unwrap(failure)))
                    .get(10, TimeUnit.SECONDS));

            Duration deadline = Duration.ofMillis(200);
            Timeline timeline = new Timeline();
            long begin = System.nanoTime();
            CompletableFuture<String> hanging = CompletableFuture.supplyAsync(() -> timeline.call("hanging", 60_000, "late"), io)
                    .orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS);
            // We wait on the stage after it, not on `hanging` itself: a thread waiting in
            // hanging.get() may wake first and run that stage itself.
            String ranOn = hanging.exceptionally(failure -> Thread.currentThread().getName()).get(10, TimeUnit.SECONDS);
            try {
                hanging.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                log(String.format("orTimeout(%d ms): failed with %s after %,d ms", deadline.toMillis(),
                        e.getCause().getClass().getSimpleName(), (System.nanoTime() - begin) / 1_000_000));
            }
            log("the exceptionally chained after it ran on: " + ranOn);
            begin = System.nanoTime();
            String value = CompletableFuture.supplyAsync(() -> timeline.call("hanging-2", 60_000, "late"), io)
                    .completeOnTimeout("the default answer", deadline.toMillis(), TimeUnit.MILLISECONDS)
                    .get(10, TimeUnit.SECONDS);
            log(String.format("completeOnTimeout(%d ms): '%s' after %,d ms", deadline.toMillis(), value,
                    (System.nanoTime() - begin) / 1_000_000));
        } finally {
            List<Runnable> neverStarted = io.shutdownNow();
            boolean ended = io.awaitTermination(5, TimeUnit.SECONDS);
            log("shutdownNow interrupted the two hanging calls; executor ended: " + ended
                    + (neverStarted.isEmpty() ? "" : ", tasks never started: " + neverStarted.size()));
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Failures and deadlines: exceptionally, handle, orTimeout, completeOnTimeout ==
     *     2387 ms  main             the next thenApply was skipped and failed with: IllegalStateException: price service: 503
     *     2388 ms  main             exceptionally: cached prices
     *     2389 ms  main             handle: got a CompletionException around IllegalStateException: price service: 503
     *     2593 ms  main             orTimeout(200 ms): failed with TimeoutException after 203 ms
     *     2593 ms  main             the exceptionally chained after it ran on: ForkJoinPool.commonPool-delayScheduler
     *     2795 ms  main             completeOnTimeout(200 ms): 'the default answer' after 201 ms
     *     2798 ms  main             shutdownNow interrupted the two hanging calls; executor ended: true
     */

    /* ---------------------------------------------------------------------------------
     * Cancelling: Future.cancel(true) interrupts, CompletableFuture.cancel(true) does not.
     *
     * The Future that `ExecutorService.submit` returns knows the thread running its task,
     * and `cancel(true)` interrupts that thread: a task waiting in sleep, await, a lock or
     * a blocking queue gets an InterruptedException, and can stop. A CompletableFuture
     * knows no thread at all: it is only a value that someone may complete. Its
     * `cancel(true)` completes it with a CancellationException, so every `join` and every
     * stage chained after it sees the cancellation at once; the `true` is ignored, and the
     * supplier goes on running to its end, its result thrown away.
     *
     * We show both with the same task. It says it has started, then waits at a gate. We
     * cancel as soon as it has started; then we open the gate, and the task reports
     * whether it saw an interrupt and how much work it did after our cancel. Latches order
     * every step, so the outcome is the same on every run.
     * --------------------------------------------------------------------------------- */
    static void cancellingATask() throws Exception {
        section("Cancelling: Future.cancel(true) interrupts, CompletableFuture.cancel(true) does not");
        try (ExecutorService io = ioExecutor("cancellable")) {
            for (boolean completable : List.of(false, true)) {
                CountDownLatch started = new CountDownLatch(1);
                CountDownLatch gate = new CountDownLatch(1);
                CountDownLatch ended = new CountDownLatch(1);
                AtomicBoolean sawInterrupt = new AtomicBoolean();
                AtomicInteger stepsAfterTheGate = new AtomicInteger();
                Runnable task = () -> {
                    started.countDown();
                    try {
                        gate.await();
                        for (int step = 0; step < 1_000; step++) stepsAfterTheGate.incrementAndGet();
                    } catch (InterruptedException e) {
                        sawInterrupt.set(true);
                    } finally {
                        ended.countDown();
                    }
                };
                Future<?> future = completable ? CompletableFuture.runAsync(task, io) : io.submit(task);
                started.await();
                boolean cancelled = future.cancel(true);
                String outcome;
                try {
                    future.get();
                    outcome = "get() returned normally";
                } catch (CancellationException e) {
                    outcome = "get() threw CancellationException";
                }
                gate.countDown();
                boolean endedInTime = ended.await(10, TimeUnit.SECONDS);
                log(String.format("%s.cancel(true) returned %b; %s",
                        completable ? "CompletableFuture" : "Future (submit)", cancelled, outcome));
                log(String.format("  and the task saw an interrupt: %b; after the cancel it did %,d steps of work%s",
                        sawInterrupt.get(), stepsAfterTheGate.get(), endedInTime ? "" : "; it had not ended after 10 s"));
            }
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Cancelling: Future.cancel(true) interrupts, CompletableFuture.cancel(true) does not ==
     *     2811 ms  main             Future (submit).cancel(true) returned true; get() threw CancellationException
     *     2811 ms  main               and the task saw an interrupt: true; after the cancel it did 0 steps of work
     *     2812 ms  main             CompletableFuture.cancel(true) returned true; get() threw CancellationException
     *     2812 ms  main               and the task saw an interrupt: false; after the cancel it did 1,000 steps of work
     */

    /* ---------------------------------------------------------------------------------
     * Many waiting tasks: as many virtual threads as platform threads.
     *
     * When every task mostly waits, the physical limit of doing N of them concurrently
     * is the latency of one: all the waits overlap. We start N calls of 100 ms, one
     * thread each, all waiting at once: first on virtual threads, then on platform
     * threads. We time them until all are done, and read how much the process's
     * resident memory grew while they all existed (from /proc on Linux: a rough
     * measure). N is 10,000 (1,000 with --quick).
     *
     * (Comparing N virtual threads with a pool of 10 platform threads would compare
     * limits on concurrency, N against 10, not kinds of thread.) A platform thread is an
     * OS thread with a stack of its own, and the OS caps how many a process may have: a
     * container or a sandbox may cap it below N. If that stops us, we say so.
     * --------------------------------------------------------------------------------- */
    record WaitingCalls(int started, long millis, long residentGrowthKib, String stoppedBy) {}

    static void manyWaitingTasks() throws Exception {
        int calls = quick ? 1_000 : 10_000;
        section(String.format("%,d waiting calls on virtual threads, then on as many platform threads", calls));
        Duration latency = Duration.ofMillis(100);
        for (Thread.Builder kind : List.of(Thread.ofVirtual().name("virtual-call-", 0),
                Thread.ofPlatform().name("platform-call-", 0))) {
            String name = kind instanceof Thread.Builder.OfVirtual ? "virtual" : "platform";
            WaitingCalls run = waitingCalls(calls, latency, kind);
            String memory = run.residentGrowthKib() < 0 ? "resident memory not measured here"
                    : String.format("resident memory +%,d MiB (%,d KiB each)", run.residentGrowthKib() / 1024,
                            run.residentGrowthKib() / Math.max(1, run.started()));
            if (run.stoppedBy() != null) {
                log(String.format("only %,d of %,d %s threads could start here (%s): the OS or a sandbox caps them",
                        run.started(), calls, name, run.stoppedBy()));
            }
            log(String.format("%,d calls of %d ms on %s threads: %,d ms, %s",
                    run.started(), latency.toMillis(), name, run.millis(), memory));
        }
        log(String.format("one after another, the %,d calls would take %,d s", calls, calls * latency.toMillis() / 1000));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == 1,000 waiting calls on virtual threads, then on as many platform threads ==
     *     2935 ms  main             1,000 calls of 100 ms on virtual threads: 117 ms, resident memory +0 MiB (0 KiB each)
     *     3311 ms  main             1,000 calls of 100 ms on platform threads: 374 ms, resident memory +42 MiB (44 KiB each)
     *     3313 ms  main             one after another, the 1,000 calls would take 100 s
     */

    // Starts `calls` threads of one kind that all wait at a gate, measures memory while they all
    // exist, opens the gate, and times them until the last has slept `latency` and ended.
    static WaitingCalls waitingCalls(int calls, Duration latency, Thread.Builder kind) throws InterruptedException {
        long residentBefore = residentKib();
        CountDownLatch allStarted = new CountDownLatch(1);
        Runnable call = () -> {
            try {
                allStarted.await();
            } catch (InterruptedException e) {
                return;
            }
            sleep(latency);
        };
        List<Thread> threads = new ArrayList<>(calls);
        String stoppedBy = null;
        long begin = System.nanoTime();
        try {
            for (int i = 0; i < calls; i++) threads.add(kind.start(call));
        } catch (OutOfMemoryError e) {
            stoppedBy = e.getMessage();
        }
        long residentDuring = residentKib();
        allStarted.countDown();
        for (Thread thread : threads) thread.join();
        long millis = (System.nanoTime() - begin) / 1_000_000;
        long growth = residentBefore < 0 || residentDuring < 0 ? -1 : Math.max(0, residentDuring - residentBefore);
        return new WaitingCalls(threads.size(), millis, growth, stoppedBy);
    }

    // This process's resident memory in KiB, from /proc/self/status (Linux only); -1 elsewhere.
    static long residentKib() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
            }
        } catch (IOException | RuntimeException e) {
            // not Linux, or /proc is not readable: we say so instead of guessing
        }
        return -1;
    }

    /* ---------------------------------------------------------------------------------
     * Pinning: blocking inside synchronized no longer holds the carrier (JDK 24+).
     *
     * A virtual thread runs on a carrier, one of a few platform threads (as many as
     * cores, by default). When it blocks, it unmounts and frees its carrier for another
     * virtual thread. Up to JDK 23 it could not unmount while it held a monitor
     * (inside a `synchronized` block or method, or in Object.wait): it stayed "pinned"
     * to its carrier, and N virtual threads sleeping inside synchronized took N/carriers
     * sleeps. Libraries full of synchronized were rewritten to ReentrantLock for it.
     * JEP 491 (JDK 24) made monitors unmount too: the same code now takes one sleep.
     *
     * Still pinned, in JDK 25: a virtual thread running a native method or a foreign
     * function (JNI, or an FFM downcall, as below) and a thread running, or waiting for,
     * a class initializer. Blocking there holds the carrier all along. The JFR event
     * `jdk.VirtualThreadPinned` (on by default when a recording runs, for waits over 20
     * ms) reports a virtual thread that parked (slept, waited) while pinned, with its
     * stack; a thread blocked inside C code does not park, so it shows there not at all,
     * only as a busy carrier:
     *     java -XX:StartFlightRecording:filename=pins.jfr ...
     *     jfr print --events jdk.VirtualThreadPinned pins.jfr
     * The old `-Djdk.tracePinnedThreads` option was removed in JDK 24.
     *
     * We start four virtual threads per carrier. Each blocks for the same time inside
     * synchronized, on a monitor of its own (so no thread waits for another's lock); and
     * then, as the control, in a native call: the C library's `usleep`, called through
     * the FFM API. We count the carriers that ran them. (The //JAVA_OPTIONS line at the
     * top allows this file's native calls without a warning.)
     * --------------------------------------------------------------------------------- */
    static void pinning() throws Exception {
        section("Pinning: blocking in synchronized frees the carrier (JDK 24+), a native call does not");
        int carriers = Integer.getInteger("jdk.virtualThreadScheduler.parallelism", Runtime.getRuntime().availableProcessors());
        int threads = 4 * carriers;
        Duration nap = Duration.ofMillis(quick ? 100 : 250);
        long pinnedMillis = threads / carriers * nap.toMillis();
        log(String.format("%d virtual threads on %d carriers, each blocking %d ms: pinned, they would take %,d ms",
                threads, carriers, nap.toMillis(), pinnedMillis));

        Set<String> carriersSeen = ConcurrentHashMap.newKeySet();
        long synchronizedMillis = timeVirtualThreads(threads, () -> {
            Object monitorOfItsOwn = new Object();
            synchronized (monitorOfItsOwn) {
                carriersSeen.add(carrierName());
                sleep(nap);
            }
        });
        log(String.format("sleeping inside synchronized: %,d ms; %d of the %d carriers ran them", synchronizedMillis,
                carriersSeen.size(), carriers));

        MethodHandle usleep = nativeUsleep();
        if (usleep == null) {
            log("no C library function usleep here: the native control is not measured");
            return;
        }
        carriersSeen.clear();
        long nativeMillis = timeVirtualThreads(threads, () -> {
            carriersSeen.add(carrierName());
            try {
                int ignored = (int) usleep.invokeExact((int) (nap.toNanos() / 1_000));
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        });
        log(String.format("blocking in a native call (usleep): %,d ms; %d of the %d carriers ran them", nativeMillis,
                carriersSeen.size(), carriers));
        // Pinned, the threads cannot take less than pinnedMillis: each carrier runs its share one after another.
        log(synchronizedMillis < pinnedMillis * 3 / 4 && nativeMillis >= pinnedMillis * 3 / 4
                ? "so synchronized let the carriers go, and the native call held them"
                : String.format("not the expected picture: synchronized %,d ms, native %,d ms, pinned would be %,d ms",
                        synchronizedMillis, nativeMillis, pinnedMillis));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pinning: blocking in synchronized frees the carrier (JDK 24+), a native call does not ==
     *     3313 ms  main             8 virtual threads on 2 carriers, each blocking 100 ms: pinned, they would take 400 ms
     *     3417 ms  main             sleeping inside synchronized: 102 ms; 2 of the 2 carriers ran them
     *     3968 ms  main             blocking in a native call (usleep): 436 ms; 2 of the 2 carriers ran them
     * ?   3969 ms  main             so synchronized let the carriers go, and the native call held them
     */

    // Starts `threads` virtual threads running `body` and times them until the last has ended.
    static long timeVirtualThreads(int threads, Runnable body) throws InterruptedException {
        long begin = System.nanoTime();
        List<Thread> started = new ArrayList<>(threads);
        for (int i = 0; i < threads; i++) started.add(Thread.ofVirtual().name("blocker-" + i).start(body));
        for (Thread thread : started) thread.join();
        return (System.nanoTime() - begin) / 1_000_000;
    }

    // The carrier a virtual thread runs on, from its toString: "VirtualThread[#31,name]/runnable@ForkJoinPool-1-worker-2".
    static String carrierName() {
        String description = Thread.currentThread().toString();
        return description.substring(description.lastIndexOf('@') + 1);
    }

    // The C library's usleep(microseconds) as a method handle, or null where there is none.
    static MethodHandle nativeUsleep() {
        Linker linker = Linker.nativeLinker();
        return linker.defaultLookup().find("usleep")
                .map(address -> linker.downcallHandle(address, FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT)))
                .orElse(null);
    }

    /* ---------------------------------------------------------------------------------
     * An ordered concurrent map with a limit: Gatherers.mapConcurrent.
     *
     * Often we may not fire everything at once: a service allows 50 requests in flight,
     * or a database pool has 20 connections. `Gatherers.mapConcurrent(limit, f)` maps a
     * stream with at most `limit` calls of f in flight, each on a virtual thread, and
     * emits the results in the stream's order. The limit is now ceil(N / limit) rounds
     * of one latency each. We count the calls in flight to check the limit held.
     *
     * What it does not do is keep `limit` calls running when one of them is slow: its
     * window holds the next `limit` elements in order, and when the window is full it
     * waits for the OLDEST call to end before it starts another. We make the first of 12
     * calls slow (limit 3) and count the calls that start while it runs: a window kept
     * full would start all 11 others. Exercise 4.4 keeps it full.
     * --------------------------------------------------------------------------------- */
    static void orderedMapWithALimit() {
        section("Gatherers.mapConcurrent: an ordered map, at most K calls in flight");
        int items = quick ? 300 : 1_000;
        int limit = 100;
        Duration latency = Duration.ofMillis(100);
        AtomicInteger inFlight = new AtomicInteger();
        AtomicInteger peak = new AtomicInteger();
        long begin = System.nanoTime();
        List<Integer> squares = IntStream.range(0, items).boxed()
                .gather(Gatherers.mapConcurrent(limit, (Integer n) -> {
                    peak.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
                    sleep(latency);
                    inFlight.decrementAndGet();
                    return n * n;
                }))
                .toList();
        long millis = (System.nanoTime() - begin) / 1_000_000;
        boolean inOrder = IntStream.range(0, items).allMatch(n -> squares.get(n) == n * n);
        int rounds = (items + limit - 1) / limit;
        log(String.format("%,d calls of %d ms, limit %d: %,d ms; the limit is %d rounds, %,d ms",
                items, latency.toMillis(), limit, millis, rounds, rounds * latency.toMillis()));
        log(String.format("peak calls in flight: %d (limit %d); results in input order: %b", peak.get(), limit, inOrder));

        int slowItems = 12;
        int slowLimit = 3;
        Duration slow = Duration.ofMillis(quick ? 300 : 600);
        AtomicBoolean slowRunning = new AtomicBoolean(true);
        AtomicInteger startedMeanwhile = new AtomicInteger();
        IntStream.range(0, slowItems).boxed()
                .gather(Gatherers.mapConcurrent(slowLimit, (Integer n) -> {
                    if (n == 0) {
                        sleep(slow);
                        slowRunning.set(false);
                    } else {
                        if (slowRunning.get()) startedMeanwhile.incrementAndGet();
                        sleep(Duration.ofMillis(10));
                    }
                    return n;
                }))
                .toList();
        log(String.format("mapConcurrent(%d) with a slow first call (%d ms): %d of the other %d started while it ran",
                slowLimit, slow.toMillis(), startedMeanwhile.get(), slowItems - 1));
        log(String.format("a window kept full would have started all %d", slowItems - 1));
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Gatherers.mapConcurrent: an ordered map, at most K calls in flight ==
     *     4304 ms  main             300 calls of 100 ms, limit 100: 326 ms; the limit is 3 rounds, 300 ms
     *     4305 ms  main             peak calls in flight: 100 (limit 100); results in input order: true
     *     4647 ms  main             mapConcurrent(3) with a slow first call (300 ms): 2 of the other 11 started while it ran
     *     4649 ms  main             a window kept full would have started all 11
     */

    /* ---------------------------------------------------------------------------------
     * Pitfall: a task that waits for a task queued behind it.
     *
     * In the notebook, `asyncio.run(main())` fails inside Jupyter with "asyncio.run()
     * cannot be called from a running event loop": asyncio refuses to block the loop on
     * work that needs that same loop to run. Java does not refuse; it just hangs.
     *
     * A single-thread executor runs `report`. Inside it, `report` submits `lookup` to the
     * same executor and blocks on `lookup.get()`. The interleaving:
     *     the worker runs report  ->  report queues lookup behind itself
     *     ->  report waits for lookup  ->  lookup waits for the worker  ->  forever.
     * That is thread-starvation deadlock; with a pool of K threads, K such tasks suffice.
     * We wait with a timeout, so the lesson goes on, and end it with shutdownNow().
     * The fix: never block inside a pool on work queued to the same pool; chain instead
     * (`thenCompose`), or, for waiting work, use a virtual thread per task.
     * --------------------------------------------------------------------------------- */
    static void starvationDeadlock() throws Exception {
        section("Pitfall: a task blocking on a task queued behind it (starvation deadlock)");
        Duration patience = Duration.ofMillis(quick ? 300 : 1000);
        ExecutorService single = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("single-worker").factory());
        try {
            Future<String> report = single.submit(() -> {
                Future<String> lookup = single.submit(() -> "lookup result");
                log("report: queued lookup behind myself, now waiting for it");
                return "report with " + lookup.get();
            });
            try {
                report.get(patience.toMillis(), TimeUnit.MILLISECONDS);
                log("it finished: that should not happen with one worker");
            } catch (TimeoutException e) {
                log(String.format("report had not finished after %,d ms: the only worker waits for a task that"
                        + " needs that worker", patience.toMillis()));
            }
        } finally {
            List<Runnable> stranded = single.shutdownNow();
            log(String.format("shutdownNow: interrupted the worker, %d queued task never ran; terminated: %b",
                    stranded.size(), single.awaitTermination(5, TimeUnit.SECONDS)));
        }

        ExecutorService fixed = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("single-worker").factory());
        try {
            long begin = System.nanoTime();
            CompletableFuture<String> chained = CompletableFuture.supplyAsync(() -> "lookup result", fixed)
                    .thenApplyAsync(lookup -> "report with " + lookup, fixed);
            log(String.format("chained instead of blocking, on the same single worker: '%s' in %,d ms",
                    chained.get(10, TimeUnit.SECONDS), (System.nanoTime() - begin) / 1_000_000));
        } finally {
            fixed.shutdownNow();
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pitfall: a task blocking on a task queued behind it (starvation deadlock) ==
     *     4663 ms  single-worker    report: queued lookup behind myself, now waiting for it
     *     4963 ms  main             report had not finished after 300 ms: the only worker waits for a task that needs that worker
     *     4964 ms  main             shutdownNow: interrupted the worker, 1 queued task never ran; terminated: true
     *     4967 ms  main             chained instead of blocking, on the same single worker: 'report with lookup result' in 2 ms
     */

    /* ---------------------------------------------------------------------------------
     * Pitfall: blocking work on the common pool.
     *
     * `supplyAsync(task)` without an executor runs on `ForkJoinPool.commonPool()`, sized
     * for CPU work: one worker per core, minus one for the caller. On a 2-core machine
     * that is ONE worker, and on JDK 25 `supplyAsync` uses it anyway (JDK 17 started a
     * new thread per task when the parallelism was below 2). So four tasks that each
     * sleep queue behind each other: they take four sleeps, not one. Everything else in
     * the JVM that uses the common pool (parallel streams, other libraries) queues too.
     * The fix is the habit this lesson follows: pass an executor made for waiting.
     * --------------------------------------------------------------------------------- */
    static void blockingOnTheCommonPool() throws Exception {
        section("Pitfall: blocking calls on the common pool");
        int tasks = 4;
        Duration nap = Duration.ofMillis(quick ? 150 : 500);
        int parallelism = ForkJoinPool.getCommonPoolParallelism();
        log(String.format("%d cores here, so the common pool's parallelism is %d", Runtime.getRuntime().availableProcessors(),
                parallelism));

        long defaultMillis = timeSleepers(tasks, nap, null);
        long explicitMillis;
        try (ExecutorService io = ioExecutor("sleeper")) {
            explicitMillis = timeSleepers(tasks, nap, io);
        }
        log(String.format("%d tasks sleeping %d ms, supplyAsync without an executor: %,d ms",
                tasks, nap.toMillis(), defaultMillis));
        log(String.format("%d tasks sleeping %d ms, on a virtual-thread executor:    %,d ms",
                tasks, nap.toMillis(), explicitMillis));
        if (defaultMillis < 2 * nap.toMillis()) {
            log("the common pool kept up here (parallelism " + parallelism + " is not below " + tasks
                    + "): on a 2-core machine it would not");
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pitfall: blocking calls on the common pool ==
     *     4968 ms  main             2 cores here, so the common pool's parallelism is 1
     *     5576 ms  main               ran on: [ForkJoinPool.commonPool-worker-1]
     *     5727 ms  main               ran on: [sleeper-0, sleeper-1, sleeper-2, sleeper-3]
     *     5728 ms  main             4 tasks sleeping 150 ms, supplyAsync without an executor: 603 ms
     *     5729 ms  main             4 tasks sleeping 150 ms, on a virtual-thread executor:    151 ms
     */

    static long timeSleepers(int tasks, Duration nap, Executor executor) throws Exception {
        List<CompletableFuture<String>> sleepers = new ArrayList<>();
        long begin = System.nanoTime();
        for (int i = 0; i < tasks; i++) {
            Supplier<String> task = () -> {
                sleep(nap);
                return Thread.currentThread().getName();
            };
            sleepers.add(executor == null ? CompletableFuture.supplyAsync(task) : CompletableFuture.supplyAsync(task, executor));
        }
        CompletableFuture.allOf(sleepers.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        log("  ran on: " + sleepers.stream().map(CompletableFuture::join).distinct().toList());
        return millis;
    }

    /* ---------------------------------------------------------------------------------
     * Pitfall: a failure nobody looks at.
     *
     * A thread that dies prints "Exception in thread ..." on standard error (lesson 01).
     * A failed future prints nothing at all: it keeps the exception, and hands it to
     * whoever calls join/get or chains a handler. If nobody does, it is gone. We watch
     * standard error while a fire-and-forget task fails, and count what arrived there.
     * The fix: every future ends somewhere that looks at failures, a `join`, or a
     * `whenComplete`/`exceptionally` that logs them.
     * --------------------------------------------------------------------------------- */
    static void lostExceptions() throws Exception {
        section("Pitfall: an exception in a future nobody joins disappears");
        PrintStream realErr = System.err;
        ByteArrayOutputStream watched = new ByteArrayOutputStream();
        CompletableFuture<Void> forgotten;
        try (ExecutorService io = ioExecutor("fire-and-forget")) {
            System.setErr(new PrintStream(watched, true));
            forgotten = CompletableFuture.runAsync(() -> {
                throw new IllegalStateException("the audit log is full");
            }, io);
        } finally {
            System.setErr(realErr);
        }
        log(String.format("the task failed (completed exceptionally: %b), and standard error got %d bytes about it",
                forgotten.isCompletedExceptionally(), watched.size()));

        try (ExecutorService io = ioExecutor("watched")) {
            CompletableFuture<Void> looked = CompletableFuture.runAsync(() -> {
                throw new IllegalStateException("the audit log is full");
            }, io).whenComplete((ignored, failure) -> {
                if (failure != null) log("whenComplete saw it (unwrapped): " + unwrap(failure));
            });
            looked.exceptionally(failure -> null).get(10, TimeUnit.SECONDS);
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == Pitfall: an exception in a future nobody joins disappears ==
     *     5737 ms  main             the task failed (completed exceptionally: true), and standard error got 0 bytes about it
     * ?   5739 ms  watched-0        whenComplete saw it (unwrapped): java.lang.IllegalStateException: the audit log is full
     */

    /* ---------------------------------------------------------------------------------
     * ScopedValue beside ThreadLocal: a value for the extent of a call.
     *
     * Code deep in a call often needs a value from far above it, such as the id of the
     * request being served, without passing it through every method. A `ThreadLocal`
     * holds one value per thread, which any code on that thread can read and change.
     * Its pitfalls: it is mutable, so any callee may change it under us; it stays set
     * until someone calls remove(), so in a pool, where a thread serves task after
     * task, the next task finds the previous task's value; and the value of an
     * InheritableThreadLocal is copied into every thread its thread starts, a cost paid
     * per thread, which millions of virtual threads make count.
     *
     * A `ScopedValue` (final in JDK 25) is bound for the extent of one call:
     * `ScopedValue.where(KEY, value).run(task)` binds it while `task` runs, and unbinds it
     * when `run` returns or throws. It has no set(): a callee can only bind a new value
     * for a nested call of its own, and when that returns the outer value is back.
     * Nothing is copied and nothing is left behind. Subtasks forked in a
     * StructuredTaskScope (a preview in 25) see the values bound where the scope was
     * opened; a thread started by hand does not, as we show.
     *
     * We read a ScopedValue inside and after a binding, and in a nested one. Then a
     * pool of one thread runs six tasks, one after another: the first sets a ThreadLocal
     * and forgets to remove it, and the second reads what it finds; then a task that
     * removes it in a finally, and one that binds a ScopedValue instead, each followed
     * by a task that looks.
     * --------------------------------------------------------------------------------- */
    static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();
    static final ThreadLocal<String> CURRENT_USER = new ThreadLocal<>();

    static void scopedValuesAndThreadLocals() throws Exception {
        section("ScopedValue beside ThreadLocal: bound for one call, nothing left behind");
        log("before the binding, REQUEST_ID is bound: " + REQUEST_ID.isBound());
        ScopedValue.where(REQUEST_ID, "request-17").run(() -> {
            log("inside where(REQUEST_ID, \"request-17\").run(...): " + REQUEST_ID.get());
            ScopedValue.where(REQUEST_ID, "request-17/retry").run(() -> log("a nested binding sees: " + REQUEST_ID.get()));
            log("after the nested call, back to: " + REQUEST_ID.get());
            Thread byHand = Thread.ofVirtual().name("started-by-hand").start(
                    () -> log("a thread started inside the binding sees it bound: " + REQUEST_ID.isBound()));
            joinQuietly(byHand);
        });
        log("after run returned, REQUEST_ID is bound: " + REQUEST_ID.isBound());

        ExecutorService pool = Executors.newSingleThreadExecutor(Thread.ofPlatform().name("pooled-worker").factory());
        try {
            runOn(pool, () -> CURRENT_USER.set("ada"));
            runOn(pool, () -> log("task 2 reads the ThreadLocal that task 1 set and did not remove: " + CURRENT_USER.get()));
            runOn(pool, () -> {
                CURRENT_USER.set("bob");
                try {
                    log("task 3 sets it to " + CURRENT_USER.get() + " and removes it in a finally");
                } finally {
                    CURRENT_USER.remove();
                }
            });
            runOn(pool, () -> log("task 4 reads the ThreadLocal: " + CURRENT_USER.get()));
            runOn(pool, () -> ScopedValue.where(REQUEST_ID, "request-18").run(() -> log("task 5 binds " + REQUEST_ID.get())));
            runOn(pool, () -> log("task 6 finds REQUEST_ID bound: " + REQUEST_ID.isBound()));
        } finally {
            pool.shutdown();
        }
    }

    /* On x86_64, 2 cores, JDK 25 (--quick), this section printed:
     *
     *   == ScopedValue beside ThreadLocal: bound for one call, nothing left behind ==
     *     5740 ms  main             before the binding, REQUEST_ID is bound: false
     *     5743 ms  main             inside where(REQUEST_ID, "request-17").run(...): request-17
     *     5744 ms  main             a nested binding sees: request-17/retry
     *     5744 ms  main             after the nested call, back to: request-17
     *     5747 ms  started-by-hand  a thread started inside the binding sees it bound: false
     *     5747 ms  main             after run returned, REQUEST_ID is bound: false
     *     5751 ms  pooled-worker    task 2 reads the ThreadLocal that task 1 set and did not remove: ada
     *     5753 ms  pooled-worker    task 3 sets it to bob and removes it in a finally
     *     5754 ms  pooled-worker    task 4 reads the ThreadLocal: null
     *     5758 ms  pooled-worker    task 5 binds request-18
     *     5763 ms  pooled-worker    task 6 finds REQUEST_ID bound: false
     */

    // Runs a task on the executor and waits for it to end, so tasks run one after another.
    static void runOn(ExecutorService executor, Runnable task) throws Exception {
        executor.submit(task).get(10, TimeUnit.SECONDS);
    }

    static void joinQuietly(Thread thread) {
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /* ---------------------------------------------------------------------------------
     * Structured concurrency (prose only: it is a preview API).
     *
     * Futures let a task outlive the code that started it, which is how failures and
     * hung calls get lost. Structured concurrency ties subtasks to a block: a
     * `StructuredTaskScope` forks subtasks on virtual threads, `join()` waits for them,
     * and when the block ends no subtask is left running; one failing can cancel the
     * others. In Java 25 it is still a preview (`StructuredTaskScope.open(Joiner)`, run
     * with --enable-preview), and its API changes again in Java 26, so this lesson uses
     * only final APIs. Exercise 4.1 builds by hand what a scope with a deadline gives.
     * --------------------------------------------------------------------------------- */

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 04`. Stuck? `./jbang hint 4.1` (again for more).
     * ================================================================================= */

    // Exercise 4.1: call every service at once, with one deadline and a fallback each.
    //
    // Call every service in `services`, all of them at the same time (the test makes each
    // call wait until all of them have been called). Return their answers in the order
    // of `services`. A service that throws, or has not answered when `deadline` has
    // passed since gatherWithFallback was called, gets `fallback` in its place, and
    // gatherWithFallback returns soon after the deadline even if some services never
    // answer at all. When it returns, it interrupts the calls that are still running.
    static List<String> gatherWithFallback(List<Callable<String>> services, Duration deadline, String fallback) {
        throw new UnsupportedOperationException("exercise 4.1 is not done yet: see its comment");
    }

    // Exercise 4.2: a pipeline of dependent calls, all users at once, results in order.
    //
    // For every id in `userIds`, look the user up with `findUser`, then look up that
    // user's orders with `ordersOf(user)`. Start every `findUser` at once, and each
    // `ordersOf` as soon as its user is known. Never block: return at once a future of
    // the orders, in the order of `userIds` whatever order the lookups finish in. If any
    // lookup fails, the returned future fails with that exception as its cause.
    static CompletableFuture<List<String>> ordersOfAll(List<String> userIds,
            Function<String, CompletableFuture<String>> findUser,
            Function<String, CompletableFuture<String>> ordersOf) {
        throw new UnsupportedOperationException("exercise 4.2 is not done yet: see its comment");
    }

    // Exercise 4.3: the first attempt that succeeds; fail only when all of them fail.
    //
    // Return at once a future that completes with the value of the first attempt in
    // `attempts` to succeed, ignoring failures that come before it, and without waiting
    // for the other attempts. Only if every attempt fails does it fail, with the
    // exception of one of the attempts as its cause.
    static <T> CompletableFuture<T> firstSuccessful(List<CompletableFuture<T>> attempts) {
        throw new UnsupportedOperationException("exercise 4.3 is not done yet: see its comment");
    }

    // Exercise 4.4: at most `limit` calls in flight.
    //
    // Call `call.apply(key)` for every key and return the results in the order of `keys`.
    // Run the calls concurrently, with at most `limit` of them in flight at any moment
    // (the service allows no more), and keep it full: while keys are left, `limit`
    // calls are running, even when one of them is slow. Wait for every call before you
    // return. If a call throws, still call every other key, then throw an exception
    // caused by it. If your thread is interrupted while it waits, start no more calls,
    // interrupt the calls in flight, and throw the InterruptedException.
    static List<String> callWithLimit(List<String> keys, int limit, Function<String, String> call) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 4.4 is not done yet: see its comment");
    }
}

// See also: lesson 01 (virtual threads, and where a thread's exception goes), lesson 08
// (virtual versus platform threads, measured), and JEP 505 (structured concurrency).
