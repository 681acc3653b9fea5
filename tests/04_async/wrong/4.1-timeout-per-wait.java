// Known-wrong answer to exercise 4.1: starts every call at once, but then gives each
// get() the whole deadline in turn, so the waits for calls that never answer add up.
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

class Async {
    static java.util.List<String> gatherWithFallback(java.util.List<java.util.concurrent.Callable<String>> services,
            java.time.Duration deadline, String fallback) {
        var callers = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor();
        try {
            java.util.List<Future<String>> futures = new java.util.ArrayList<>();
            for (var service : services) futures.add(callers.submit(service));
            java.util.List<String> answers = new java.util.ArrayList<>();
            for (Future<String> future : futures) {
                try {
                    answers.add(future.get(deadline.toMillis(), TimeUnit.MILLISECONDS));
                } catch (Exception e) {
                    answers.add(fallback);
                }
            }
            return answers;
        } finally {
            callers.shutdownNow();
        }
    }
}
