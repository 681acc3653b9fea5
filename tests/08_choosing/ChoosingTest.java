import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Tests for the exercises of lessons/08_choosing.java. Tags name the exercise. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ChoosingTest {

    static final int CORES = Runtime.getRuntime().availableProcessors();

    // ---- 8.1 forkJoinSum ---------------------------------------------------------------

    record Piece(int from, int to) {
        int length() {
            return to - from;
        }

        @Override
        public String toString() {
            return "[" + from + ", " + to + ")";
        }
    }

    /** Sums values[from, to) and remembers every non-empty piece it was asked for. */
    static Choosing.PieceSum recording(long[] values, List<Piece> pieces) {
        return (from, to) -> {
            if (from < 0 || to > values.length || from > to) {
                throw new IllegalArgumentException("piece " + new Piece(from, to) + " is outside [0, " + values.length + ")");
            }
            if (to > from) pieces.add(new Piece(from, to));
            long sum = 0;
            for (int i = from; i < to; i++) sum += values[i];
            return sum;
        };
    }

    record Summed(long sum, List<Piece> pieces) {}

    /** Runs the learner's forkJoinSum over {@code values}, recording the pieces it asks for. */
    static Summed sumInPieces(ForkJoinPool pool, long[] values, int threshold) {
        List<Piece> pieces = java.util.Collections.synchronizedList(new ArrayList<>());
        long sum = Choosing.forkJoinSum(pool, values.length, threshold, recording(values, pieces));
        return new Summed(sum, pieces);
    }

    static long[] randomValues(int size, long seed) {
        Random random = new Random(seed);
        long[] values = new long[size];
        for (int i = 0; i < size; i++) values[i] = random.nextInt(1_000_000) - 500_000;
        return values;
    }

    @Test
    @Tag("8.1")
    @DisplayName("8.1 sums exactly, for sizes 0, 1 and around the threshold up to 10,000")
    void forkJoinSumIsExact() {
        int threshold = 64;
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            for (int size : new int[] {0, 1, 2, 63, 64, 65, 127, 128, 129, 191, 1_000, 4_097, 10_000}) {
                long[] values = randomValues(size, size);
                long expected = 0;
                for (long value : values) expected += value;
                Summed summed = sumInPieces(pool, values, threshold);
                assertThat(summed.sum()).as("the sum of %,d values with threshold %d (pieces summed: %s)",
                        size, threshold, describe(summed.pieces())).isEqualTo(expected);
            }
        }
    }

    @Test
    @Tag("8.1")
    @DisplayName("8.1 covers every element exactly once, in pieces of at most the threshold")
    void forkJoinSumCoversEveryElementOnce() {
        int threshold = 64;
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            for (int size : new int[] {1, 64, 65, 129, 1_000, 4_097}) {
                List<Piece> pieces = sumInPieces(pool, new long[size], threshold).pieces();
                int[] times = new int[size];
                for (Piece piece : pieces) {
                    if (piece.length() > threshold) {
                        fail("size %,d, threshold %d: the piece %s holds %,d elements, more than the threshold: "
                                + "split every range longer than the threshold", size, threshold, piece, piece.length());
                    }
                    for (int i = piece.from(); i < piece.to(); i++) times[i]++;
                }
                for (int i = 0; i < size; i++) {
                    if (times[i] != 1) {
                        fail("size %,d: element %d was in %d pieces instead of exactly 1 (pieces: %s): "
                                + "do the two halves meet exactly at the middle, [from, middle) and [middle, to)?",
                                size, i, times[i], describe(pieces));
                    }
                }
                if (size <= threshold && pieces.size() != 1) {
                    fail("%d elements with threshold %d were summed in %d pieces (%s): a range that holds at most "
                            + "the threshold is one piece, summed by one call", size, threshold, pieces.size(), describe(pieces));
                }
            }
        }
    }

    @Test
    @Tag("8.1")
    @DisplayName("8.1 stops splitting at the threshold: no crowd of tiny pieces")
    void forkJoinSumDoesNotSplitTooFar() {
        int size = 100_000, threshold = 1_000;
        int most = 2 * ((size + threshold - 1) / threshold);
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            List<Piece> pieces = sumInPieces(pool, new long[size], threshold).pieces();
            int smallest = pieces.stream().mapToInt(Piece::length).min().orElse(0);
            if (pieces.size() > most) {
                fail("%,d elements with threshold %,d were summed in %,d pieces (the smallest of %,d elements); "
                        + "halving until a range fits gives at most %,d: stop splitting once a range holds at most the threshold",
                        size, threshold, pieces.size(), smallest, most);
            }
            assertThat(pieces.stream().mapToInt(Piece::length).sum()).as("elements in all pieces together").isEqualTo(size);
        }
    }

    @Test
    @Tag("8.1")
    @DisplayName("8.1 forks: pieces are summed at the same time, on the given pool's workers")
    void forkJoinSumForksOntoThePool() {
        int size = 64 * 16, threshold = 64;
        CountDownLatch twoAtOnce = new CountDownLatch(2);
        AtomicBoolean gaveUp = new AtomicBoolean();
        AtomicReference<String> notAWorker = new AtomicReference<>();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            long sum = Choosing.forkJoinSum(pool, size, threshold, (from, to) -> {
                Thread current = Thread.currentThread();
                threads.add(current);
                if (!(current instanceof ForkJoinWorkerThread worker && worker.getPool() == pool)) {
                    notAWorker.compareAndSet(null, current.getName());
                    return to - from;
                }
                // The first two pieces wait for each other: with forking, an idle worker
                // steals a waiting half and gets to its pieces while the first one waits.
                twoAtOnce.countDown();
                if (!gaveUp.get() && !Probe.await(twoAtOnce)) gaveUp.set(true);
                return to - from;
            });
            assertThat(notAWorker.get())
                    .as("a piece was summed on thread '%s', not on a worker of the pool passed in: run the task with pool.invoke(...)",
                            notAWorker.get())
                    .isNull();
            assertThat(gaveUp.get())
                    .as("only one piece was summed at a time, for %d s, on %d thread(s): fork() one half so that "
                            + "another worker can take it, and compute the other half before you join", Probe.PATIENCE.toSeconds(),
                            threads.size())
                    .isFalse();
            assertThat(sum).as("the number of elements, summed piece by piece").isEqualTo(size);
        }
    }

    static String describe(List<Piece> pieces) {
        List<Piece> sorted;
        synchronized (pieces) {
            sorted = new ArrayList<>(pieces);
        }
        sorted.sort(Comparator.comparingInt(Piece::from));
        String text = sorted.toString();
        return text.length() > 300 ? sorted.size() + " pieces, " + text.substring(0, 300) + "..." : text;
    }

    // ---- 8.2 executorFor ---------------------------------------------------------------

    @Test
    @Tag("8.2")
    @DisplayName("8.2 CPU_BOUND: exactly as many threads as cores, reused, the rest of the tasks wait")
    void cpuBoundExecutorRunsOneThreadPerCore() throws Exception {
        int tasks = 2 * CORES + 2;
        AtomicInteger running = new AtomicInteger();
        AtomicInteger mostAtOnce = new AtomicInteger();
        Set<Thread> threads = ConcurrentHashMap.newKeySet();
        CountDownLatch release = new CountDownLatch(1);
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Choosing.executorFor(Choosing.Workload.CPU_BOUND)) {
            assertThat(executor).as("executorFor(CPU_BOUND)").isNotNull();
            try {
                for (int i = 0; i < tasks; i++) {
                    futures.add(executor.submit(() -> {
                        threads.add(Thread.currentThread());
                        mostAtOnce.accumulateAndGet(running.incrementAndGet(), Math::max);
                        Probe.await(release);
                        running.decrementAndGet();
                    }));
                }
                if (!Probe.eventually(() -> running.get() >= CORES)) {
                    fail("only %d of %d tasks ran at once on a machine with %d cores: a CPU-bound pool needs a thread per core",
                            running.get(), tasks, CORES);
                }
            } finally {
                release.countDown();
            }
            for (Future<?> future : futures) future.get(Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(threads.size())
                .as("%d tasks ran on %d threads, up to %d at once, on %d cores: more threads than cores cannot compute faster; "
                        + "use a fixed number of threads, one per core, that take turns at the tasks",
                        tasks, threads.size(), mostAtOnce.get(), CORES)
                .isEqualTo(CORES);
        assertThat(mostAtOnce.get()).as("the most tasks running at once, on %d cores", CORES).isEqualTo(CORES);
    }

    @Test
    @Tag("8.2")
    @DisplayName("8.2 IO_BOUND: 1,000 waiting tasks all in flight at once, each on a virtual thread")
    void ioBoundExecutorRunsEveryWaitAtOnce() throws Exception {
        int tasks = 1_000;
        CountDownLatch allWaiting = new CountDownLatch(tasks);
        AtomicBoolean gaveUp = new AtomicBoolean();
        AtomicLong inFlightWhenGivenUp = new AtomicLong();
        AtomicReference<String> platformThread = new AtomicReference<>();
        List<Future<?>> futures = new ArrayList<>();
        try (ExecutorService executor = Choosing.executorFor(Choosing.Workload.IO_BOUND)) {
            assertThat(executor).as("executorFor(IO_BOUND)").isNotNull();
            for (int i = 0; i < tasks; i++) {
                futures.add(executor.submit(() -> {
                    Thread current = Thread.currentThread();
                    if (!current.isVirtual()) {
                        platformThread.compareAndSet(null, current.getName());
                        return;
                    }
                    allWaiting.countDown();
                    // Each task waits until all have started: a bounded pool never gets there.
                    if (!gaveUp.get() && !Probe.await(allWaiting) && gaveUp.compareAndSet(false, true)) {
                        inFlightWhenGivenUp.set(tasks - allWaiting.getCount());
                    }
                }));
            }
            for (Future<?> future : futures) future.get(2 * Probe.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        }
        assertThat(platformThread.get())
                .as("a task ran on platform thread '%s': for waiting, give every task a virtual thread, which costs "
                        + "no OS thread while it waits", platformThread.get())
                .isNull();
        assertThat(gaveUp.get())
                .as("only %,d of %,d waiting tasks were in flight at once: an I/O-bound executor must start every task "
                        + "at once, not a few at a time", inFlightWhenGivenUp.get(), tasks)
                .isFalse();
    }

    // ---- 8.3 parallelFraction ----------------------------------------------------------

    @Test
    @Tag("8.3")
    @DisplayName("8.3 computes the parallel fraction exactly from two timings")
    void parallelFractionIsExact() {
        expectFraction(1_000, 600, 2, 0.8);
        expectFraction(100, 40, 4, 0.8);
        expectFraction(900, 400, 3, 5.0 / 6);
        expectFraction(3_000_000_000L, 1_000_000_000L, 4, 8.0 / 9);
        expectFraction(7_000_000_000L, 4_000_000_000L, 2, 6.0 / 7);
    }

    @Test
    @Tag("8.3")
    @DisplayName("8.3 edge cases: no speedup is 0, perfect speedup is 1, and nothing is clamped")
    void parallelFractionEdges() {
        expectFraction(1_000, 1_000, 8, 0.0);
        expectFraction(800, 100, 8, 1.0);
        expectFraction(1_000_000, 500_000, 2, 1.0);
        expectFraction(1_000, 2_000, 2, -2.0);
        expectFraction(1_000, 250, 2, 1.5);
    }

    @Test
    @Tag("8.3")
    @DisplayName("8.3 refuses times that are not positive and fewer than 2 threads")
    void parallelFractionRejectsInvalidInput() {
        long[][] invalid = {{0, 100, 2}, {100, 0, 2}, {-100, 50, 2}, {100, -50, 2}, {100, 50, 1}, {100, 50, 0}, {100, 50, -4}};
        for (long[] args : invalid) {
            String why = args[2] < 2 ? "one thread (or none) says nothing about p" : "a time must be positive";
            double returned;
            try {
                returned = Choosing.parallelFraction(args[0], args[1], (int) args[2]);
            } catch (IllegalArgumentException expected) {
                continue;
            } catch (RuntimeException other) {
                fail("parallelFraction(%d, %d, %d) threw %s; it must throw IllegalArgumentException: %s",
                        args[0], args[1], args[2], other, why);
                return;
            }
            fail("parallelFraction(%d, %d, %d) returned %s; it must throw IllegalArgumentException: %s",
                    args[0], args[1], args[2], returned, why);
        }
    }

    static void expectFraction(long oneThreadNanos, long parallelNanos, int threads, double expected) {
        double speedup = (double) oneThreadNanos / parallelNanos;
        assertThat(Choosing.parallelFraction(oneThreadNanos, parallelNanos, threads))
                .as("parallelFraction(%,d, %,d, %d): speedup %.4f on %d threads; Amdahl gives p = (1 - 1/S) / (1 - 1/N) "
                        + "= %.6f (is every division done in double?)", oneThreadNanos, parallelNanos, threads, speedup,
                        threads, expected)
                .isCloseTo(expected, within(1e-9));
    }

    // ---- helpers -----------------------------------------------------------------------
}
