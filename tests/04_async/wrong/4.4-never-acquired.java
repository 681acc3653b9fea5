// Known-wrong answer to exercise 4.4: releases a permit after each call but never
// acquires one, so the semaphore limits nothing (and only gains permits).
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var slots = new java.util.concurrent.Semaphore(limit);
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            return resultsInOrder(keys.stream().map(key -> executor.submit(() -> {
                try {
                    return call.apply(key);
                } finally {
                    slots.release();
                }
            })).toList());
        }
    }
}
