// Known-wrong answer to exercise 4.3: an AtomicInteger, but read and decremented in two
// steps ("am I the last failure? if not, count me"): two failures at once both read 2,
// neither thinks it is the last, and the result never completes.
import java.util.concurrent.CompletableFuture;

class Async {
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        CompletableFuture<T> first = new CompletableFuture<>();
        var failuresToGo = new java.util.concurrent.atomic.AtomicInteger(attempts.size());
        for (CompletableFuture<T> attempt : attempts) {
            attempt.whenComplete((value, failure) -> {
                if (failure == null) first.complete(value);
                else if (failuresToGo.get() == 1) first.completeExceptionally(failure);
                else failuresToGo.decrementAndGet();
            });
        }
        return first;
    }
}
