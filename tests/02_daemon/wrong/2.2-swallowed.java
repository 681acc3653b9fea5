// Known-wrong answer to exercise 2.2: swallows the InterruptedException from take() and
// goes on taking items, so an interrupt never stops the worker.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox, java.util.function.Consumer<String> handler) {
        int handled = 0;
        while (true) {
            try {
                String item = inbox.take();
                handler.accept(item);
                handled++;
            } catch (InterruptedException e) {
                // nothing to do here, keep working
            }
        }
    }
}
