// Known-wrong answer to exercise 4.4: waits for a slot with acquireUninterruptibly(), so
// an interrupt is ignored and it goes on starting calls for a caller that gave up.
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var slots = new java.util.concurrent.Semaphore(limit);
        var futures = new java.util.ArrayList<java.util.concurrent.Future<String>>();
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            for (String key : keys) {
                slots.acquireUninterruptibly();
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
