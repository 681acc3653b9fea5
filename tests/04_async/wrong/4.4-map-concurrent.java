// Known-wrong answer to exercise 4.4: Gatherers.mapConcurrent keeps at most `limit` calls
// pending, but when the window is full it waits for the OLDEST call to end before it
// starts another, so one slow call keeps the other slots empty.
class Async {
    static java.util.List<String> callWithLimit(java.util.List<String> keys, int limit,
            java.util.function.Function<String, String> call) throws InterruptedException {
        return keys.stream().gather(java.util.stream.Gatherers.mapConcurrent(limit, call::apply)).toList();
    }
}
