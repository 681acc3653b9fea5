// Known-wrong answer to exercise 4.4: calls the keys in batches of `limit` and waits for a
// whole batch before starting the next, so one slow call leaves the other slots empty.
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var results = new java.util.ArrayList<String>();
        for (int from = 0; from < keys.size(); from += limit) {
            var batch = keys.subList(from, Math.min(from + limit, keys.size()));
            try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
                results.addAll(resultsInOrder(batch.stream().map(key -> executor.submit(() -> call.apply(key))).toList()));
            }
        }
        return results;
    }
}
