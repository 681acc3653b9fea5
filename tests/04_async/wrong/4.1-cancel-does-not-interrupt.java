// Known-wrong answer to exercise 4.1: right answers on time, then cancel(true) on every
// future to stop the late calls; but cancelling a CompletableFuture does not interrupt the
// thread running its call, and the executor is never shut down, so the hung calls run on.
// (callAsync is the solution's supplyAsync for a Callable.)
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        java.util.List<CompletableFuture<String>> calls = services.stream().map(service -> callAsync(service, callers)).toList();
        try {
            return calls.stream()
                    .map(call -> call.completeOnTimeout(fallback, deadline.toMillis(), TimeUnit.MILLISECONDS)
                            .exceptionally(failure -> fallback))
                    .toList().stream().map(CompletableFuture::join).toList();
        } finally {
            calls.forEach(call -> call.cancel(true));
        }
    }
}
