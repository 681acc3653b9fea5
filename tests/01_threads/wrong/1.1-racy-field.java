// Known-wrong answer to exercise 1.1: the threads add their parts to a static field with `total += v`; the
// update is not atomic, so two threads can both read the old total and one part is lost.
class Threads {
    static long total;

    static long parallelSum(int parts, java.util.function.IntToLongFunction partSum) throws InterruptedException {
        total = 0;
        java.util.List<Thread> threads = new java.util.ArrayList<>();
        for (int part = 0; part < parts; part++) {
            int index = part;
            threads.add(Thread.ofPlatform().start(() -> {
                long v = partSum.applyAsLong(index);
                total += v;
            }));
        }
        for (Thread thread : threads) thread.join();
        return total;
    }
}
