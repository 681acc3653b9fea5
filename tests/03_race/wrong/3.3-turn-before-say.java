// Known-wrong answer to exercise 3.3: hands the turn to the next word before saying its own, so the
// next thread can start its word while this one is still being said: the order is left to timing.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        java.util.List<java.util.concurrent.CountDownLatch> turns = new java.util.ArrayList<>();
        for (int i = 0; i <= words.size(); i++) turns.add(new java.util.concurrent.CountDownLatch(i == 0 ? 0 : 1));
        java.util.List<Thread> speakers = new java.util.ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            int index = i;
            speakers.add(Thread.ofPlatform().start(() -> {
                ready.run();
                try {
                    turns.get(index).await();
                } catch (InterruptedException e) {
                    return;
                }
                turns.get(index + 1).countDown();
                say.accept(words.get(index));
            }));
        }
        for (Thread speaker : speakers) speaker.join();
    }
}
