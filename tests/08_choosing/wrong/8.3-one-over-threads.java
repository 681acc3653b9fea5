// Known-wrong answer to exercise 8.3: `1 / threads` is an int division, always 0 for
// 2 or more threads, so the denominator is 1 and p comes out as 1 - 1/S.
class Choosing {
    static double parallelFraction(long oneThreadNanos, long parallelNanos, int threads) {
        if (oneThreadNanos <= 0 || parallelNanos <= 0 || threads < 2) throw new IllegalArgumentException("invalid");
        double speedup = (double) oneThreadNanos / parallelNanos;
        return (1 - 1 / speedup) / (1 - 1 / threads);
    }
}
