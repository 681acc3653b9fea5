// Known-wrong answer to exercise 3.1: marks the field volatile and thinks that is enough.
// volatile makes each read and write visible, but count++ is still read, add, write.
class Race {
    static final class Counter {
        private volatile long count;

        void increment() {
            count++;
        }

        long get() {
            return count;
        }
    }
}
