// Known-wrong answer to exercise 4.4: stops at an interrupt, but the executor's close()
// then waits for the calls in flight, which nobody interrupted: it hangs as long as they do.
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
                    try {
                        return call.apply(key);
                    } finally {
                        slots.release();
                    }
                }));
            }
            return resultsInOrder(futures);
        }
    }
}
