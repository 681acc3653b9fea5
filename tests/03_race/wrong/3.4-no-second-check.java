// Known-wrong answer to exercise 3.4: double-checked locking without the second check:
// every thread that saw null before the value existed creates it again under the lock.
class Race {
    static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private volatile T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (value == null) {
                synchronized (this) {
                    value = supplier.get();
                }
            }
            return value;
        }
    }
}
