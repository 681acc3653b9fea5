// Known-wrong answer to exercise 4.1: right answers on time, but the finally calls
// shutdown(), which only stops new tasks: the calls that never answer are not
// interrupted, and run on after gatherWithFallback has returned.
// (callAsync is the solution's supplyAsync for a Callable.)
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            return services.stream()
                    .map(service -> callAsync(service, callers)
                            .completeOnTimeout(fallback, deadline.toMillis(), TimeUnit.MILLISECONDS)
                            .exceptionally(failure -> fallback))
                    .toList().stream().map(CompletableFuture::join).toList();
        } finally {
            callers.shutdown();
        }
    }
}
