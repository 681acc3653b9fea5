// Known-wrong answer to exercise 1.1: starts every thread, but never joins them, so it
// adds up the parts before they are computed.
class Threads {
    static long parallelSum(int parts, java.util.function.IntToLongFunction partSum) {
        long[] results = new long[parts];
        for (int part = 0; part < parts; part++) {
            int index = part;
            new Thread(() -> results[index] = partSum.applyAsLong(index)).start();
        }
        long total = 0;
        for (long result : results) total += result;
        return total;
    }
}
