// Known-wrong answer to exercise 6.1: sends a single poison pill for all the consumers, so
// the first consumer to take it stops and every other one waits in take() forever.
class Ipc {
    static void stopConsumers(java.util.concurrent.BlockingQueue<String> queue, int consumers) throws InterruptedException {
        queue.put(PILL);
    }
}
