// Known-wrong answer to exercise 4.3: counts the failures down in a plain int, updated by
// whichever thread completes an attempt; two failures at once can both read the same count,
// one decrement is lost, and when every attempt has failed the result never completes.
import java.util.concurrent.CompletableFuture;

class Async {
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        CompletableFuture<T> first = new CompletableFuture<>();
        int[] failuresToGo = {attempts.size()};
        for (CompletableFuture<T> attempt : attempts) {
            attempt.whenComplete((value, failure) -> {
                if (failure == null) first.complete(value);
                else if (--failuresToGo[0] == 0) first.completeExceptionally(failure);
            });
        }
        return first;
    }
}
