// Known-wrong answer to exercise 4.3: anyOf completes with whichever attempt finishes
// first, so an early failure wins over a later success.
import java.util.concurrent.CompletableFuture;

class Async {
    @SuppressWarnings("unchecked")
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        return CompletableFuture.anyOf(attempts.toArray(CompletableFuture[]::new)).thenApply(value -> (T) value);
    }
}
