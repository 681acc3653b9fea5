// Known-wrong answer to exercise 6.1: a consumer stops when poll(1, SECONDS) returns null, taking "nothing for a second" for
// "nothing ever": a producer slower than that loses its items to consumers that have gone.
class Ipc {
    static Runnable consumer(java.util.concurrent.BlockingQueue<String> queue, java.util.function.Consumer<String> handle) {
        return () -> {
            try {
                for (String item; (item = queue.poll(1, java.util.concurrent.TimeUnit.SECONDS)) != null && item != PILL; ) {
                    handle.accept(item);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
