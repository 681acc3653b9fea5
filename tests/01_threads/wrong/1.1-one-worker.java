// Known-wrong answer to exercise 1.1: moves the work off the caller, but onto a single
// thread that computes the parts one after another: no parallelism at all.
class Threads {
    static long parallelSum(int parts, java.util.function.IntToLongFunction partSum) throws InterruptedException {
        long[] total = new long[1];
        Thread worker = new Thread(() -> {
            for (int part = 0; part < parts; part++) total[0] += partSum.applyAsLong(part);
        });
        worker.start();
        worker.join();
        return total[0];
    }
}
