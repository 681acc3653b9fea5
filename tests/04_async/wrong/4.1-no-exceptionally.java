// Known-wrong answer to exercise 4.1: every call at once with a deadline, but no
// exceptionally, so the first service that throws makes the whole call throw.
// (callAsync is the solution's supplyAsync for a Callable.)
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            return services.stream()
                    .map(service -> callAsync(service, callers).completeOnTimeout(fallback, deadline.toMillis(), TimeUnit.MILLISECONDS))
                    .toList().stream().map(CompletableFuture::join).toList();
        } finally {
            callers.shutdownNow();
        }
    }
}
