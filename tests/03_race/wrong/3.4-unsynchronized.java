// Known-wrong answer to exercise 3.4: checks for null and creates the value with no lock:
// check-then-act, so two threads can both see null and both call the supplier.
class Race {
    static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            if (value == null) value = supplier.get();
            return value;
        }
    }
}
