// Known-wrong answer to exercise 2.2: checks for the interrupt after taking an item and
// returns at once, so the item just taken is lost: neither handled nor left in the inbox.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox, java.util.function.Consumer<String> handler) {
        int handled = 0;
        try {
            while (true) {
                String item = inbox.take();
                if (Thread.currentThread().isInterrupted()) return handled;
                handler.accept(item);
                handled++;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return handled;
        }
    }
}
