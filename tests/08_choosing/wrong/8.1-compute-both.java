// Known-wrong answer to exercise 8.1: splits correctly but runs both halves right here
// (invoke() on each in turn), so nothing waits to be stolen and one worker sums every piece.
// (A ForkJoinTask adapted from a lambda, to keep this file short; a RecursiveTask is the same.)
class Choosing {
    static long forkJoinSum(java.util.concurrent.ForkJoinPool pool, int size, int threshold, PieceSum pieceSum) {
        return pool.invoke(range(0, size, threshold, pieceSum));
    }

    static java.util.concurrent.ForkJoinTask<Long> range(int from, int to, int threshold, PieceSum pieceSum) {
        return java.util.concurrent.ForkJoinTask.adapt(() -> {
            if (to - from <= threshold) return pieceSum.sum(from, to);
            int middle = (from + to) / 2;
            return range(from, middle, threshold, pieceSum).invoke() + range(middle, to, threshold, pieceSum).invoke();
        });
    }
}
