// Known-wrong answer to exercise 3.3: all threads wait on one monitor for their turn, in a loop, but
// each hand-over calls notify(), which wakes one waiter, maybe not the next word's: it waits again, forever.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        Object lock = new Object();
        int[] turn = {0};
        java.util.List<Thread> speakers = new java.util.ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            int index = i;
            speakers.add(Thread.ofPlatform().start(() -> {
                ready.run();
                synchronized (lock) {
                    while (turn[0] != index) {
                        try {
                            lock.wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                say.accept(words.get(index));
                synchronized (lock) {
                    turn[0]++;
                    lock.notify();
                }
            }));
        }
        for (Thread speaker : speakers) speaker.join();
    }
}
