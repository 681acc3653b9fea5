// Known-wrong answer to exercise 4.2: chains well, but turns a failed lookup into an
// empty answer with exceptionally, so the result succeeds and hides the failure.
import java.util.concurrent.CompletableFuture;

class Async {
    static CompletableFuture<java.util.List<String>> ordersOfAll(java.util.List<String> userIds,
            java.util.function.Function<String, CompletableFuture<String>> findUser,
            java.util.function.Function<String, CompletableFuture<String>> ordersOf) {
        java.util.List<CompletableFuture<String>> each = userIds.stream()
                .map(id -> findUser.apply(id).thenCompose(ordersOf).exceptionally(failure -> "no orders"))
                .toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .thenApply(done -> each.stream().map(CompletableFuture::join).toList());
    }
}
