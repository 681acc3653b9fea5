// Known-wrong answer to exercise 4.1: a deadline and a fallback for each call, but each
// call is started only after the one before has been joined, so they run one at a time.
// (callAsync is the solution's supplyAsync for a Callable.)
import java.util.concurrent.TimeUnit;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            java.util.List<String> answers = new java.util.ArrayList<>();
            for (var service : services) {
                answers.add(callAsync(service, callers)
                        .completeOnTimeout(fallback, deadline.toMillis(), TimeUnit.MILLISECONDS)
                        .exceptionally(failure -> fallback)
                        .join());
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }
}
