// Known-wrong answer to exercise 2.2: takes one item and drains the rest of the inbox into a batch, then stops
// at the interrupt in the middle of the batch: the items left in the batch are lost, in neither place.
class Daemon {
    static int workUntilInterrupted(java.util.concurrent.BlockingQueue<String> inbox,
                                    java.util.function.Consumer<String> handler) {
        int handled = 0;
        java.util.List<String> batch = new java.util.ArrayList<>();
        while (!Thread.currentThread().isInterrupted()) {
            try {
                batch.add(inbox.take());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            inbox.drainTo(batch);
            for (String item : batch) {
                if (Thread.currentThread().isInterrupted()) return handled;
                handler.accept(item);
                handled++;
            }
            batch.clear();
        }
        return handled;
    }
}
