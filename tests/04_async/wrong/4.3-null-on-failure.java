// Known-wrong answer to exercise 4.3: turns each failure into null before anyOf, so the
// first failure "succeeds" with null.
import java.util.concurrent.CompletableFuture;

class Async {
    @SuppressWarnings("unchecked")
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        return CompletableFuture.anyOf(attempts.stream().map(a -> a.exceptionally(e -> null)).toArray(CompletableFuture[]::new))
                .thenApply(value -> (T) value);
    }
}
