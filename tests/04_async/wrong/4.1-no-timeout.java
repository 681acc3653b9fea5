// Known-wrong answer to exercise 4.1: every call at once, a fallback for failures, but no
// timeout: one service that never answers makes it wait forever.
// (callAsync is the solution's supplyAsync for a Callable.)
import java.util.concurrent.CompletableFuture;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            return services.stream().map(service -> callAsync(service, callers).exceptionally(failure -> fallback))
                    .toList().stream().map(CompletableFuture::join).toList();
        } finally {
            callers.shutdownNow();
        }
    }
}
