// Known-wrong answer to exercise 4.4: never more than `limit` calls in flight, because
// there is only ever one: each call is waited for before the next starts.
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var results = new java.util.ArrayList<String>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String key : keys) results.addAll(resultsInOrder(java.util.List.of(executor.submit(() -> call.apply(key)))));
        }
        return results;
    }
}
