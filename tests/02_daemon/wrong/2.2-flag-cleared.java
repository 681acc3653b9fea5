// Known-wrong answer to exercise 2.2: stops at the right moment, but Thread.interrupted()
// and the caught InterruptedException both clear the flag, and it is never set again.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox, java.util.function.Consumer<String> handler) {
        int handled = 0;
        try {
            while (!Thread.interrupted()) {
                handler.accept(inbox.take());
                handled++;
            }
        } catch (InterruptedException e) {
            // we are stopping anyway
        }
        return handled;
    }
}
