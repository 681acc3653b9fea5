// Known-wrong answer to exercise 8.1: the right half starts one past the middle, so the
// element at every split point is in no piece and the sum comes out short.
// (A ForkJoinTask adapted from a lambda, to keep this file short; a RecursiveTask is the same.)
class Choosing {
    static long forkJoinSum(java.util.concurrent.ForkJoinPool pool, int size, int threshold, PieceSum pieceSum) {
        return pool.invoke(range(0, size, threshold, pieceSum));
    }

    static java.util.concurrent.ForkJoinTask<Long> range(int from, int to, int threshold, PieceSum pieceSum) {
        return java.util.concurrent.ForkJoinTask.adapt(() -> {
            if (to - from <= threshold) return pieceSum.sum(from, to);
            int middle = (from + to) / 2;
            var left = range(from, middle, threshold, pieceSum).fork();
            return range(middle + 1, to, threshold, pieceSum).invoke() + left.join();
        });
    }
}
