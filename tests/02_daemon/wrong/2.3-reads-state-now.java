// Known-wrong answer to exercise 2.3: registers a hook, but reads the state when
// saveOnExit is called, so the hook saves a stale state instead of the one at exit.
class Daemon {
    static void saveOnExit(java.nio.file.Path file, java.util.function.Supplier<String> state) {
        String snapshot = state.get();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.nio.file.Files.writeString(file, snapshot);
            } catch (java.io.IOException e) {
                e.printStackTrace();
            }
        }));
    }
}
