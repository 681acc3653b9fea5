// Known-wrong answer to exercise 4.4: gives the permit back after the call, but not in a
// finally, so every call that throws keeps its slot for ever; `limit` failures and the
// loop waits for a slot that never comes.
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var slots = new java.util.concurrent.Semaphore(limit);
        var futures = new java.util.ArrayList<java.util.concurrent.Future<String>>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (String key : keys) {
                    slots.acquire();
                    futures.add(executor.submit(() -> {
                        String result = call.apply(key);
                        slots.release();
                        return result;
                    }));
                }
                return resultsInOrder(futures);
            } catch (InterruptedException e) {
                executor.shutdownNow();
                throw e;
            }
        }
    }
}
