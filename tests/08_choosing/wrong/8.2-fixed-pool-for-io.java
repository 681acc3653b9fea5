// Known-wrong answer to exercise 8.2: one thread per core for both workloads, so the
// I/O-bound executor can wait on only as many calls as there are cores.
class Choosing {
    static java.util.concurrent.ExecutorService executorFor(Workload workload) {
        return java.util.concurrent.Executors.newFixedThreadPool(Runtime.getRuntime().availableProcessors());
    }
}
