// Known-wrong answer to exercise 6.1: consumers stop as soon as they find the queue empty
// (poll() returned null), which also happens when the producers are merely slow.
class Ipc {
    static Runnable consumer(java.util.concurrent.BlockingQueue<String> queue, java.util.function.Consumer<String> handle) {
        return () -> {
            for (String item; (item = queue.poll()) != null; ) {
                if (item != PILL) handle.accept(item);
            }
        };
    }
}
