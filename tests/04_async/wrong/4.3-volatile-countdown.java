// Known-wrong answer to exercise 4.3: a volatile int for the count of failures: every
// thread sees the latest value, but `--failuresToGo` is still a read and then a write,
// so two failures at once can lose one decrement and the result never completes.
import java.util.concurrent.CompletableFuture;

class Async {
    static volatile int failuresToGo;

    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        CompletableFuture<T> first = new CompletableFuture<>();
        failuresToGo = attempts.size();
        for (CompletableFuture<T> attempt : attempts) {
            attempt.whenComplete((value, failure) -> {
                if (failure == null) first.complete(value);
                else if (--failuresToGo == 0) first.completeExceptionally(failure);
            });
        }
        return first;
    }
}
