// Known-wrong answer to exercise 8.1: a threshold of its own, "big enough to be worth a
// task", instead of the one given: ranges of the test's sizes are never split or forked.
// (A ForkJoinTask adapted from a lambda, to keep this file short; a RecursiveTask is the same.)
class Choosing {
    static long forkJoinSum(java.util.concurrent.ForkJoinPool pool, int size, int threshold, PieceSum pieceSum) {
        return pool.invoke(range(0, size, threshold, pieceSum));
    }

    static java.util.concurrent.ForkJoinTask<Long> range(int from, int to, int threshold, PieceSum pieceSum) {
        return java.util.concurrent.ForkJoinTask.adapt(() -> {
            if (to - from <= 10_000) return pieceSum.sum(from, to);
            int middle = (from + to) / 2;
            var left = range(from, middle, threshold, pieceSum).fork();
            return range(middle, to, threshold, pieceSum).invoke() + left.join();
        });
    }
}
