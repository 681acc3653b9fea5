// Known-wrong answer to exercise 5.2: keeps each result in a map under its item, and returns
// the map's values: they come in hash order, and repeated items keep only one result.
class Processes {
    static <T, R> java.util.List<R> parallelMap(java.util.List<T> items, int workers,
            java.util.function.Function<T, R> function) throws InterruptedException {
        java.util.Map<T, R> results = new java.util.concurrent.ConcurrentHashMap<>();
        java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(workers)) {
            for (T item : items) futures.add(pool.submit(() -> { results.put(item, function.apply(item)); }));
            for (var future : futures) future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a call failed", e.getCause());
        }
        return new java.util.ArrayList<>(results.values());
    }
}
