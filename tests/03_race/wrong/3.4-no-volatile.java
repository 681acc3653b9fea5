// Known-wrong answer to exercise 3.4: double-checked locking without volatile. The first check reads
// the field without the lock, so nothing orders the value's construction before that read (JLS 17.5).
class Race {
    static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (value == null) {
                synchronized (this) {
                    if (value == null) value = supplier.get();
                }
            }
            return value;
        }
    }
}
