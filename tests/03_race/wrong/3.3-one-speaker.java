// Known-wrong answer to exercise 3.3: starts a thread per word, but then the caller says
// every word itself, in order: right order, wrong threads.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        java.util.List<Thread> speakers = new java.util.ArrayList<>();
        for (String word : words) speakers.add(Thread.ofPlatform().start(ready));
        for (Thread speaker : speakers) speaker.join();
        for (String word : words) say.accept(word);
    }
}
