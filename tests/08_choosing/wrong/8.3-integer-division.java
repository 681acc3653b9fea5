// Known-wrong answer to exercise 8.3: computes the speedup with long division, which
// truncates it (1,000 / 600 is 1), so the fraction is wrong whenever S is not whole.
class Choosing {
    static double parallelFraction(long oneThreadNanos, long parallelNanos, int threads) {
        if (oneThreadNanos <= 0 || parallelNanos <= 0 || threads < 2) throw new IllegalArgumentException("invalid");
        long speedup = oneThreadNanos / parallelNanos;
        return (1 - 1.0 / speedup) / (1 - 1.0 / threads);
    }
}
