// Known-wrong answer to exercise 3.1: uses an AtomicLong, but as get() then set(), two
// atomic steps with a gap between them, instead of one incrementAndGet().
class Race {
    static final class Counter {
        private final java.util.concurrent.atomic.AtomicLong count = new java.util.concurrent.atomic.AtomicLong();

        void increment() {
            count.set(count.get() + 1);
        }

        long get() {
            return count.get();
        }
    }
}
