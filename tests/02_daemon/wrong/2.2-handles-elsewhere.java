// Known-wrong answer to exercise 2.2: hands each item to a virtual thread of its own and waits for it, so the
// items are handled off the calling thread, where an interrupt of the worker does not reach them.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox,
                                    java.util.function.Consumer<String> handler) {
        int handled = 0;
        while (!Thread.currentThread().isInterrupted()) {
            String item;
            try {
                item = inbox.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            Thread helper = Thread.ofVirtual().start(() -> handler.accept(item));
            try {
                helper.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            handled++;
        }
        return handled;
    }
}
