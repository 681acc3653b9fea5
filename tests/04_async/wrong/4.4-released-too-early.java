// Known-wrong answer to exercise 4.4: a semaphore, but each task gives its permit back
// as soon as it starts, before the call, so nothing limits the calls in flight.
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var slots = new java.util.concurrent.Semaphore(limit);
        var futures = new java.util.ArrayList<java.util.concurrent.Future<String>>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String key : keys) {
                slots.acquire();
                futures.add(executor.submit(() -> {
                    slots.release();
                    return call.apply(key);
                }));
            }
            return resultsInOrder(futures);
        }
    }
}
