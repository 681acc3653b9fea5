// Known-wrong answer to exercise 4.4: a virtual thread per call and nothing else, so
// the limit is ignored and every call is in flight at once.
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        try (var executor = java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor()) {
            return resultsInOrder(keys.stream().map(key -> executor.submit(() -> call.apply(key))).toList());
        }
    }
}
