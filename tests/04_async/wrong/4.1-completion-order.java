// Known-wrong answer to exercise 4.1: every call at once, one deadline, a fallback each,
// but each answer is added to a shared list when it arrives, so the list comes in the
// order the services answered, not in the order of the services.
// (callAsync is the solution's supplyAsync for a Callable.)
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var answers = java.util.Collections.synchronizedList(new java.util.ArrayList<String>());
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            CompletableFuture<?>[] each = services.stream()
                    .map(service -> callAsync(service, callers)
                            .completeOnTimeout(fallback, deadline.toMillis(), TimeUnit.MILLISECONDS)
                            .exceptionally(failure -> fallback)
                            .thenAccept(answers::add))
                    .toArray(CompletableFuture[]::new);
            CompletableFuture.allOf(each).join();
            return java.util.List.copyOf(answers);
        } finally {
            callers.shutdownNow();
        }
    }
}
