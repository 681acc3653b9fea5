// Known-wrong answer to exercise 2.2: uses poll(), which does not wait, so the worker
// stops as soon as the inbox is empty instead of waiting for the next item.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox, java.util.function.Consumer<String> handler) {
        int handled = 0;
        String item;
        while (!Thread.currentThread().isInterrupted() && (item = inbox.poll()) != null) {
            handler.accept(item);
            handled++;
        }
        return handled;
    }
}
