// Known-wrong answer to exercise 1.3: a pool of 16 platform threads, as one would size it
// for CPU work, so at most 16 of the waiting calls are ever in flight.
class Threads {
    static java.util.List<String> fetchAll(java.util.List<String> keys, java.util.function.Function<String, String> fetch) throws InterruptedException {
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(16)) {
            java.util.List<java.util.concurrent.Future<String>> futures = new java.util.ArrayList<>();
            for (String key : keys) futures.add(executor.submit(() -> fetch.apply(key)));
            java.util.List<String> results = new java.util.ArrayList<>();
            for (var future : futures) results.add(future.get());
            return results;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e);
        }
    }
}
