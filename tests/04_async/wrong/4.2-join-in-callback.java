// Known-wrong answer to exercise 4.2: thenApply with a join inside instead of
// thenCompose: the caller is free, but the thread that completes a user lookup is
// blocked until that user's orders arrive.
import java.util.concurrent.CompletableFuture;

class Async {
    static CompletableFuture<java.util.List<String>> ordersOfAll(java.util.List<String> userIds,
            java.util.function.Function<String, CompletableFuture<String>> findUser,
            java.util.function.Function<String, CompletableFuture<String>> ordersOf) {
        java.util.List<CompletableFuture<String>> each = userIds.stream()
                .map(id -> findUser.apply(id).thenApply(user -> ordersOf.apply(user).join()))
                .toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }
}
