// Known-wrong answer to exercise 3.3: one thread per word, all running at once, but each
// says its word as soon as it can, so the order is whatever the scheduler makes it.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        java.util.List<Thread> speakers = new java.util.ArrayList<>();
        for (String word : words) {
            speakers.add(Thread.ofPlatform().start(() -> {
                ready.run();
                say.accept(word);
            }));
        }
        for (Thread speaker : speakers) speaker.join();
    }
}
