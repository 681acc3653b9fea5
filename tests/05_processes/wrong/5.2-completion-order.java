// Known-wrong answer to exercise 5.2: a pool of the right size, but each result is
// appended when its call finishes, so the results come in completion order.
class Processes {
    static <T, R> java.util.List<R> parallelMap(java.util.List<T> items, int workers, java.util.function.Function<T, R> function) throws InterruptedException {
        java.util.List<R> results = java.util.Collections.synchronizedList(new java.util.ArrayList<>());
        java.util.List<java.util.concurrent.Future<?>> futures = new java.util.ArrayList<>();
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(workers)) {
            for (T item : items) futures.add(pool.submit(() -> { results.add(function.apply(item)); }));
            for (var future : futures) future.get();
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a call failed", e.getCause());
        }
        return results;
    }
}
