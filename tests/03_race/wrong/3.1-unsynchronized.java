// Known-wrong answer to exercise 3.1: a plain field and count++, with no lock at all, so
// two threads can read the same value and one increment is lost.
class Race {
    static final class Counter {
        private long count;

        void increment() {
            count++;
        }

        long get() {
            return count;
        }
    }
}
