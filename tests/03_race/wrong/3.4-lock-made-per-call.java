// Known-wrong answer to exercise 3.4: double-checked locking on a lock object made in each call: no
// other thread can hold that object, so two threads that saw null both create the value.
class Race {
    static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private volatile T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (value == null) {
                Object lock = new Object();
                synchronized (lock) {
                    if (value == null) value = supplier.get();
                }
            }
            return value;
        }
    }
}
