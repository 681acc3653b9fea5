// Known-wrong answer to exercise 3.1: makes a new lock object in each call and locks it: no other
// thread can ever hold that object, so the lock excludes nobody and count++ still loses updates.
class Race {
    static final class Counter {
        private long count;

        void increment() {
            Object lock = new Object();
            synchronized (lock) {
                count++;
            }
        }

        long get() {
            Object lock = new Object();
            synchronized (lock) {
                return count;
            }
        }
    }
}
