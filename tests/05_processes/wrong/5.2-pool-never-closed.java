// Known-wrong answer to exercise 5.2: right size, right order, but the pool is never shut
// down, so its threads wait for more work forever (and keep the JVM from ending).
class Processes {
    static <T, R> java.util.List<R> parallelMap(java.util.List<T> items, int workers, java.util.function.Function<T, R> function) throws InterruptedException {
        var pool = java.util.concurrent.Executors.newFixedThreadPool(workers);
        java.util.List<java.util.concurrent.Future<R>> futures = new java.util.ArrayList<>();
        for (T item : items) futures.add(pool.submit(() -> function.apply(item)));
        java.util.List<R> results = new java.util.ArrayList<>();
        try {
            for (var future : futures) results.add(future.get());
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a call failed", e.getCause());
        }
        return results;
    }
}
