// Known-wrong answer to exercise 3.1: increment() is synchronized, get() is not, so get() reads the
// plain field with no happens-before edge from the writes (JLS 17.4): it may see a stale count.
class Race {
    static final class Counter {
        private long count;

        synchronized void increment() {
            count++;
        }

        long get() {
            return count;
        }
    }
}
