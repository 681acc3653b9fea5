///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Choosing

// Reference answers to the exercises of lessons/08_choosing.java.
// Run it to see each answer at work: ./jbang solutions/08_choosing.java

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.RecursiveTask;

class Choosing {

    static void main(String[] args) throws Exception {
        long[] values = new long[10_000];
        for (int i = 0; i < values.length; i++) values[i] = i + 1;
        try (ForkJoinPool pool = new ForkJoinPool(4)) {
            long sum = forkJoinSum(pool, values.length, 1_000, (from, to) -> {
                long piece = 0;
                for (int i = from; i < to; i++) piece += values[i];
                return piece;
            });
            System.out.println("8.1 forkJoinSum of 1..10,000 in pieces of at most 1,000: " + sum);
        }

        for (Workload workload : Workload.values()) {
            try (ExecutorService executor = executorFor(workload)) {
                Future<String> where = executor.submit(() -> Thread.currentThread().isVirtual() ? "a virtual thread" : "a platform thread");
                System.out.println("8.2 executorFor(" + workload + ") ran a task on " + where.get());
            }
        }

        System.out.printf("8.3 parallelFraction: 1,000 ms on 1 thread, 600 ms on 2: p = %.3f%n",
                parallelFraction(1_000_000_000L, 600_000_000L, 2));
        try {
            parallelFraction(1_000, 500, 1);
        } catch (IllegalArgumentException e) {
            System.out.println("8.3 and one thread is refused: " + e.getMessage());
        }
    }

    // Exercise 8.1: a range task. Small ranges are one piece; larger ones fork the left
    // half (an idle worker of the pool can steal it), compute the right half here, then
    // join the left. `>>> 1` finds the middle without overflowing.
    interface PieceSum {
        long sum(int from, int to);
    }

    static long forkJoinSum(ForkJoinPool pool, int size, int threshold, PieceSum pieceSum) {
        return pool.invoke(new PieceTask(0, size, threshold, pieceSum));
    }

    static final class PieceTask extends RecursiveTask<Long> {
        final int from, to, threshold;
        final PieceSum pieceSum;

        PieceTask(int from, int to, int threshold, PieceSum pieceSum) {
            this.from = from;
            this.to = to;
            this.threshold = threshold;
            this.pieceSum = pieceSum;
        }

        @Override
        protected Long compute() {
            if (to - from <= threshold) return pieceSum.sum(from, to);
            int middle = (from + to) >>> 1;
            PieceTask left = new PieceTask(from, middle, threshold, pieceSum);
            left.fork();
            long right = new PieceTask(middle, to, threshold, pieceSum).compute();
            return right + left.join();
        }
    }

    // Exercise 8.2: computing wants one thread per core, no more; waiting wants one
    // thread per wait, and virtual threads make that cheap.
    enum Workload { CPU_BOUND, IO_BOUND }

    static ExecutorService executorFor(Workload workload) {
        return switch (workload) {
            case CPU_BOUND -> Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
            case IO_BOUND -> Executors.newVirtualThreadPerTaskExecutor();
        };
    }

    // Exercise 8.3: from S = t1 / tN and S = 1 / ((1 - p) + p / N) follows
    // p = (1 - 1/S) / (1 - 1/N). In doubles throughout: a long division would truncate S.
    static double parallelFraction(long oneThreadNanos, long parallelNanos, int threads) {
        if (oneThreadNanos <= 0 || parallelNanos <= 0) {
            throw new IllegalArgumentException("times must be positive: " + oneThreadNanos + ", " + parallelNanos);
        }
        if (threads < 2) throw new IllegalArgumentException("need at least 2 threads to tell p, got " + threads);
        double inverseSpeedup = (double) parallelNanos / oneThreadNanos;
        return (1 - inverseSpeedup) / (1 - 1.0 / threads);
    }
}
