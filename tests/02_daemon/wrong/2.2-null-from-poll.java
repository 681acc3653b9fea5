// Known-wrong answer to exercise 2.2: polls with a timeout so it can check the flag, but ignores what poll
// returned: when no item comes in time, poll returns null and the handler gets null.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox,
                                    java.util.function.Consumer<String> handler) {
        int handled = 0;
        while (!Thread.currentThread().isInterrupted()) {
            String item;
            try {
                item = inbox.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            handler.accept(item);
            handled++;
        }
        return handled;
    }
}
