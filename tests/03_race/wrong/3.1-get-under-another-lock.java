// Known-wrong answer to exercise 3.1: increment() locks a lock object, get() is a synchronized
// method, which locks `this`: two different locks, so no happens-before from the writes to the read.
class Race {
    static final class Counter {
        private final Object lock = new Object();
        private long count;

        void increment() {
            synchronized (lock) {
                count++;
            }
        }

        synchronized long get() {
            return count;
        }
    }
}
