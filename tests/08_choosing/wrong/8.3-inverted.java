// Known-wrong answer to exercise 8.3: takes the speedup the wrong way round (parallel
// time over one-thread time), which turns every speedup into a slowdown.
class Choosing {
    static double parallelFraction(long oneThreadNanos, long parallelNanos, int threads) {
        if (oneThreadNanos <= 0 || parallelNanos <= 0 || threads < 2) throw new IllegalArgumentException("invalid");
        double speedup = (double) parallelNanos / oneThreadNanos;
        return (1 - 1 / speedup) / (1 - 1.0 / threads);
    }
}
