// Known-wrong answer to exercise 8.1: calls invoke() on the task itself instead of
// pool.invoke(task), so the top of the work runs on the caller's thread, outside the pool.
class Choosing {
    static long forkJoinSum(java.util.concurrent.ForkJoinPool pool, int size, int threshold, PieceSum pieceSum) {
        return new PieceTask(0, size, threshold, pieceSum).invoke();
    }
}
