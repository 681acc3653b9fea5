// Known-wrong answer to exercise 6.1: each producer puts a pill when it is done, so the
// consumers stop when the first few producers finish, not when all of them have.
class Ipc {
    static Runnable producer(Iterable<String> items, java.util.concurrent.BlockingQueue<String> queue) {
        return () -> {
            try {
                for (String item : items) queue.put(item);
                queue.put(PILL);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    static void stopConsumers(java.util.concurrent.BlockingQueue<String> queue, int consumers) {
        // the producers have sent the pills already
    }
}
