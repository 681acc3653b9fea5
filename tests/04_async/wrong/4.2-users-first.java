// Known-wrong answer to exercise 4.2: never blocks and keeps the order, but waits with
// allOf until EVERY user is known before it asks for anyone's orders, so a fast user's
// orders wait for the slowest user lookup.
import java.util.concurrent.CompletableFuture;

class Async {
    static CompletableFuture<java.util.List<String>> ordersOfAll(java.util.List<String> userIds,
            java.util.function.Function<String, CompletableFuture<String>> findUser,
            java.util.function.Function<String, CompletableFuture<String>> ordersOf) {
        java.util.List<CompletableFuture<String>> users = userIds.stream().map(findUser).toList();
        return CompletableFuture.allOf(users.toArray(CompletableFuture[]::new)).thenCompose(allKnown -> {
            java.util.List<CompletableFuture<String>> orders = users.stream().map(user -> ordersOf.apply(user.join())).toList();
            return CompletableFuture.allOf(orders.toArray(CompletableFuture[]::new))
                    .thenApply(done -> orders.stream().map(CompletableFuture::join).toList());
        });
    }
}
