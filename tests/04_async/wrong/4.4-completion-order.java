// Known-wrong answer to exercise 4.4: a semaphore and a finally, but each task adds its
// result to a shared list when its call ends, so the results come in completion order.
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        var slots = new java.util.concurrent.Semaphore(limit);
        var results = java.util.Collections.synchronizedList(new java.util.ArrayList<String>());
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            try {
                for (String key : keys) {
                    slots.acquire();
                    executor.submit(() -> {
                        try {
                            results.add(call.apply(key));
                        } finally {
                            slots.release();
                        }
                    });
                }
            } catch (InterruptedException e) {
                executor.shutdownNow();
                throw e;
            }
        }
        return results;
    }
}
