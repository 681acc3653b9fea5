// Known-wrong answer to exercise 3.4: the first caller creates the value outside the lock while the
// others wait(); it then calls notify(), which wakes one waiter: the others wait forever (lost wake-up).
class Race {
    static final class Lazy<T> {
        private final java.util.function.Supplier<T> supplier;
        private T value;
        private boolean creating;

        Lazy(java.util.function.Supplier<T> supplier) {
            this.supplier = supplier;
        }

        T get() {
            synchronized (this) {
                if (value != null) return value;
                if (creating) {
                    while (value == null) {
                        try {
                            wait();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }
                    return value;
                }
                creating = true;
            }
            T made = supplier.get();
            synchronized (this) {
                value = made;
                notify();
            }
            return made;
        }
    }
}
