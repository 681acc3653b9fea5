// Known-wrong answer to exercise 3.4: sets a volatile "created" flag before the supplier has made the
// value: a thread that sees the flag returns the value that is not there yet (null). Wrong order.
class Race {
    static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private volatile boolean created;
        private volatile T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (!created) {
                synchronized (this) {
                    if (!created) {
                        created = true;
                        value = supplier.get();
                    }
                }
            }
            return value;
        }
    }
}
