// Known-wrong answer to exercise 4.2: chains well and never blocks, but adds each
// user's orders to the list when they arrive, so the list comes in completion order.
import java.util.concurrent.CompletableFuture;

class Async {
    static CompletableFuture<java.util.List<String>> ordersOfAll(java.util.List<String> userIds,
            java.util.function.Function<String, CompletableFuture<String>> findUser,
            java.util.function.Function<String, CompletableFuture<String>> ordersOf) {
        java.util.List<String> orders = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        CompletableFuture<?>[] each = userIds.stream()
                .map(id -> findUser.apply(id).thenCompose(ordersOf).thenAccept(orders::add))
                .toArray(CompletableFuture[]::new);
        return CompletableFuture.allOf(each).thenApply(done -> java.util.List.copyOf(orders));
    }
}
