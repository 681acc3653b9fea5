// Known-wrong answer to exercise 2.3: saves from a daemon thread that waits for main to
// end, but the JVM does not wait for daemon threads, so the save is abandoned.
class Daemon {
    static void saveOnExit(java.nio.file.Path file, java.util.function.Supplier<String> state) {
        Thread main = Thread.currentThread();
        Thread.ofPlatform().name("saver").daemon(true).start(() -> {
            try {
                main.join();
                java.nio.file.Files.writeString(file, state.get());
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
    }
}
