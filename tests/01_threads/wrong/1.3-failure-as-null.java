// Known-wrong answer to exercise 1.3: a call that throws leaves null in its place, so the caller gets a list
// that looks complete and never learns that a fetch failed, or why.
class Threads {
    static java.util.List<String> fetchAll(java.util.List<String> keys, java.util.function.Function<String, String> fetch)
            throws InterruptedException {
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            java.util.List<java.util.concurrent.Future<String>> futures = new java.util.ArrayList<>();
            for (String key : keys) futures.add(executor.submit(() -> fetch.apply(key)));
            java.util.List<String> results = new java.util.ArrayList<>();
            for (var future : futures) {
                try {
                    results.add(future.get());
                } catch (java.util.concurrent.ExecutionException e) {
                    results.add(null);
                }
            }
            return results;
        }
    }
}
