// Known-wrong answer to exercise 4.4: a fixed pool sized one too big ("limit + 1, to be
// safe"), so one call more than allowed is in flight.
// (resultsInOrder is the solution's: it gets each future in turn.)
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        try (var executor = java.util.concurrent.Executors.newFixedThreadPool(limit + 1)) {
            return resultsInOrder(keys.stream().map(key -> executor.submit(() -> call.apply(key))).toList());
        }
    }
}
