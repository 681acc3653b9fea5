// Known-wrong answer to exercise 3.1: increments an AtomicLong atomically, but reads it with
// getPlain(), a plain read with no happens-before edge from the increments (JLS 17.4).
class Race {
    static final class Counter {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        void increment() {
            count.incrementAndGet();
        }

        long get() {
            return count.getPlain();
        }
    }
}
