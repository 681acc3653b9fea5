// Known-wrong answer to exercise 4.2: lets a failure through, but wrapped in an exception
// of its own ("lookup failed"), so the cause the caller sees is not the lookup's exception.
import java.util.concurrent.CompletableFuture;

class Async {
    static CompletableFuture<java.util.List<String>> ordersOfAll(java.util.List<String> userIds,
            java.util.function.Function<String, CompletableFuture<String>> findUser,
            java.util.function.Function<String, CompletableFuture<String>> ordersOf) {
        java.util.List<CompletableFuture<String>> each = userIds.stream()
                .map(id -> findUser.apply(id).thenCompose(ordersOf))
                .toList();
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new))
                .handle((done, failure) -> {
                    if (failure != null) throw new IllegalStateException("lookup failed", failure);
                    return each.stream().map(CompletableFuture::join).toList();
                });
    }
}
