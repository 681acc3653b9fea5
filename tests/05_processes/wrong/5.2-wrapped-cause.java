// Known-wrong answer to exercise 5.2: right pool, right order, but a failed call is thrown
// with the ExecutionException as its cause, not the exception the call threw.
class Processes {
    static <T, R> java.util.List<R> parallelMap(java.util.List<T> items, int workers,
            java.util.function.Function<T, R> function) throws InterruptedException {
        try (var pool = java.util.concurrent.Executors.newFixedThreadPool(workers)) {
            java.util.List<java.util.concurrent.Future<R>> futures = new java.util.ArrayList<>();
            for (T item : items) futures.add(pool.submit(() -> function.apply(item)));
            java.util.List<R> results = new java.util.ArrayList<>();
            for (var future : futures) results.add(future.get());
            return results;
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("a call failed", e);
        }
    }
}
