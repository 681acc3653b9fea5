// Known-wrong answer to exercise 4.3: only successes complete the result and failures
// are ignored entirely, so when every attempt fails the result never completes.
import java.util.concurrent.CompletableFuture;

class Async {
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        CompletableFuture<T> first = new CompletableFuture<>();
        for (CompletableFuture<T> attempt : attempts) attempt.thenAccept(first::complete);
        return first;
    }
}
