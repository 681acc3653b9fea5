// Known-wrong answer to exercise 2.3: the hook writes through a BufferedWriter that it
// never flushes or closes, so whatever is still in the buffer is lost at exit.
class Daemon {
    static void saveOnExit(java.nio.file.Path file, java.util.function.Supplier<String> state) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.io.BufferedWriter out = java.nio.file.Files.newBufferedWriter(file);
                out.write(state.get());
            } catch (java.io.IOException e) {
                e.printStackTrace();
            }
        }));
    }
}
