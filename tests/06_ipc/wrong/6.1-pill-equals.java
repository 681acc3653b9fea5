// Known-wrong answer to exercise 6.1: the 'stop' message is the string "STOP", compared with equals(): a real item "STOP"
// stops a consumer early, and that item is never handled.
class Ipc {
    static final String PILL = "STOP";

    static Runnable consumer(java.util.concurrent.BlockingQueue<String> queue, java.util.function.Consumer<String> handle) {
        return () -> {
            try {
                for (String item; !(item = queue.take()).equals(PILL); ) handle.accept(item);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }
}
