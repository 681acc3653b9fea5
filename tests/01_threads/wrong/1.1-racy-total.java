// Known-wrong answer to exercise 1.1: every thread adds its part to one shared total (`total[0] += v`), a
// read-modify-write that two threads can interleave, losing a part; joins all, so it is right most runs.
class Threads {
    static long parallelSum(int parts, java.util.function.IntToLongFunction partSum) throws InterruptedException {
        long[] total = new long[1];
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int part = 0; part < parts; part++) {
            int index = part;
            threads.add(Thread.ofPlatform().start(() -> {
                long v = partSum.applyAsLong(index);
                total[0] += v;
            }));
        }
        for (Thread thread : threads) thread.join();
        return total[0];
    }
}
