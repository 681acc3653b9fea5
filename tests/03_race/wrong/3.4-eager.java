// Known-wrong answer to exercise 3.4: creates the value in the constructor. Thread-safe,
// but not lazy: the supplier runs even if nobody ever calls get().
class Race {
    static final class Lazy<T> {
        private final T value;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.value = supplier.get();
        }

        T get() {
            return value;
        }
    }
}
