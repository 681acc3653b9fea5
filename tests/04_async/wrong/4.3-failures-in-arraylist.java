// Known-wrong answer to exercise 4.3: collects the failures in a plain ArrayList and fails
// when it holds one per attempt; two failures added at once can land in the same slot
// (ArrayList is not thread-safe), so the size never reaches the count of attempts.
import java.util.concurrent.CompletableFuture;

class Async {
    static <T> CompletableFuture<T> firstSuccessful(java.util.List<CompletableFuture<T>> attempts) {
        CompletableFuture<T> first = new CompletableFuture<>();
        java.util.List<Throwable> failures = new java.util.ArrayList<>();
        for (CompletableFuture<T> attempt : attempts) {
            attempt.whenComplete((value, failure) -> {
                if (failure == null) {
                    first.complete(value);
                } else {
                    failures.add(failure);
                    if (failures.size() == attempts.size()) first.completeExceptionally(failure);
                }
            });
        }
        return first;
    }
}
