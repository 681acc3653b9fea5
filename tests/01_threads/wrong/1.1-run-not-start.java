// Known-wrong answer to exercise 1.1: calls run() instead of start(), so every part runs
// on the caller, one after another, and no thread is ever started.
class Threads {
    static long parallelSum(int parts, java.util.function.IntToLongFunction partSum) throws InterruptedException {
        long[] results = new long[parts];
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int part = 0; part < parts; part++) {
            int index = part;
            Thread thread = new Thread(() -> results[index] = partSum.applyAsLong(index));
            thread.run();
            threads.add(thread);
        }
        for (Thread thread : threads) thread.join();
        long total = 0;
        for (long result : results) total += result;
        return total;
    }
}
