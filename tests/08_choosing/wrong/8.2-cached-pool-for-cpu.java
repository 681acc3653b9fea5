// Known-wrong answer to exercise 8.2: a cached pool for computing starts a new thread
// whenever all are busy, so it runs more tasks at once than there are cores.
class Choosing {
    static java.util.concurrent.ExecutorService executorFor(Workload workload) {
        return switch (workload) {
            case CPU_BOUND -> java.util.concurrent.Executors.newCachedThreadPool();
            case IO_BOUND -> java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        };
    }
}
