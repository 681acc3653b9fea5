// Known-wrong answer to exercise 4.2: joins each lookup in a loop, so the caller blocks
// and the users are looked up one at a time.
import java.util.concurrent.CompletableFuture;

class Async {
    static CompletableFuture<java.util.List<String>> ordersOfAll(java.util.List<String> userIds,
            java.util.function.Function<String, CompletableFuture<String>> findUser,
            java.util.function.Function<String, CompletableFuture<String>> ordersOf) {
        java.util.List<String> orders = new java.util.ArrayList<>();
        for (String id : userIds) {
            String user = findUser.apply(id).join();
            orders.add(ordersOf.apply(user).join());
        }
        return CompletableFuture.completedFuture(orders);
    }
}
