// Known-wrong answer to exercise 6.1: the last producer to finish sends the pills; with no producer at all nobody does,
// and the consumers wait in take() forever.
class Ipc {
    static void workQueue(java.util.List<? extends Iterable<String>> producers, int consumers, int capacity,
                          java.util.function.Consumer<String> handle, java.util.concurrent.ThreadFactory threads)
            throws InterruptedException {
        java.util.concurrent.BlockingQueue<String> queue = boundedQueue(capacity);
        java.util.concurrent.atomic.AtomicInteger running = new java.util.concurrent.atomic.AtomicInteger(producers.size());
        java.util.List<Thread> all = new java.util.ArrayList<>();
        for (Iterable<String> items : producers) {
            all.add(threads.newThread(() -> {
                producer(items, queue).run();
                if (running.decrementAndGet() == 0) {
                    try {
                        stopConsumers(queue, consumers);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }));
        }
        for (int c = 0; c < consumers; c++) all.add(threads.newThread(consumer(queue, handle)));
        all.forEach(Thread::start);
        for (Thread thread : all) thread.join();
    }
}
