// Known-wrong answer to exercise 3.3: each thread wait()s on its own monitor for a notify() from the
// previous word, with no condition to check: a notify() made before the receiver waits is lost.
class Race {
    static void tellInOrder(java.util.List<String> words, Runnable ready, java.util.function.Consumer<String> say)
            throws InterruptedException {
        Object[] turns = new Object[words.size() + 1];
        for (int i = 0; i < turns.length; i++) turns[i] = new Object();
        java.util.List<Thread> speakers = new java.util.ArrayList<>();
        for (int i = 0; i < words.size(); i++) {
            int index = i;
            speakers.add(Thread.ofPlatform().start(() -> {
                ready.run();
                if (index > 0) {
                    synchronized (turns[index]) {
                        try {
                            turns[index].wait();
                        } catch (InterruptedException e) {
                            return;
                        }
                    }
                }
                say.accept(words.get(index));
                synchronized (turns[index + 1]) {
                    turns[index + 1].notify();
                }
            }));
        }
        for (Thread speaker : speakers) speaker.join();
    }
}
