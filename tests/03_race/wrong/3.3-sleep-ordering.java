// Known-wrong answer to exercise 3.3: keeps the order by sleeping, word i waiting i x 20
// ms: it works while every say is quick, and breaks when one is slow.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        java.util.List<Thread> speakers = new java.util.ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            int index = i;
            speakers.add(Thread.ofPlatform().start(() -> {
                ready.run();
                try {
                    Thread.sleep(20L * index);
                } catch (InterruptedException e) {
                    return;
                }
                say.accept(words.get(index));
            }));
        }
        for (Thread speaker : speakers) speaker.join();
    }
}
