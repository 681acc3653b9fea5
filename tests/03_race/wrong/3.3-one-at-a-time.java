// Known-wrong answer to exercise 3.3: a thread per word, in order, but each is joined
// before the next starts: the threads never run at the same time.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        for (String word : words) {
            Thread.ofPlatform().start(() -> {
                ready.run();
                say.accept(word);
            }).join();
        }
    }
}
