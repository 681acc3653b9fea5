// Known-wrong answer to exercise 8.2: virtual threads for I/O, but from a fixed pool of
// 16, so at most 16 calls are ever in flight however many are waiting.
class Choosing {
    static java.util.concurrent.ExecutorService executorFor(Workload workload) {
        return switch (workload) {
            case CPU_BOUND -> java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
            case IO_BOUND -> java.util.concurrent.Executors.newFixedThreadPool(16, Thread.ofVirtual().factory());
        };
    }
}
