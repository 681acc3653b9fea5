// Known-wrong answer to exercise 4.3: waits with allOf-like logic for every attempt to
// finish before choosing the first success, so one attempt that never ends blocks it.
import java.util.concurrent.CompletableFuture;

class Async {
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        CompletableFuture<?>[] settled = attempts.stream().map(a -> a.handle((v, e) -> null)).toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(settled).thenApply(done -> {
            RuntimeException last = null;
            for (CompletableFuture<T> attempt : attempts) {
                if (!attempt.isCompletedExceptionally()) return attempt.join();
                last = new java.util.concurrent.CompletionException(attempt.exceptionNow());
            }
            throw last;
        });
    }
}
