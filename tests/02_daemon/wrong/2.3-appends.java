// Known-wrong answer to exercise 2.3: opens the file with APPEND, so the state is added after whatever an
// earlier run left there instead of replacing it.
class Daemon {
    static void saveOnExit(java.nio.file.Path file, java.util.function.Supplier<String> state) {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                java.nio.file.Files.writeString(file, state.get(), java.nio.file.StandardOpenOption.CREATE,
                        java.nio.file.StandardOpenOption.APPEND);
            } catch (java.io.IOException e) {
                e.printStackTrace();
            }
        }));
    }
}
