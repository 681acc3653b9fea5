// Known-wrong answer to exercise 2.3: starts the hook thread before registering it, so it
// saves at once, and addShutdownHook refuses it ("Hook already running").
class Daemon {
    static void saveOnExit(java.nio.file.Path file, java.util.function.Supplier<String> state) {
        Thread hook = new Thread(() -> {
            try {
                java.nio.file.Files.writeString(file, state.get());
            } catch (java.io.IOException e) {
                e.printStackTrace();
            }
        });
        hook.start();
        Runtime.getRuntime().addShutdownHook(hook);
    }
}
