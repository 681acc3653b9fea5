// Known-wrong answer to exercise 8.3: the formula is right, but nothing is checked, so
// one thread divides by zero and returns NaN or infinity instead of refusing.
class Choosing {
    static double parallelFraction(long oneThreadNanos, long parallelNanos, int threads) {
        double speedup = (double) oneThreadNanos / parallelNanos;
        return (1 - 1 / speedup) / (1 - 1.0 / threads);
    }
}
