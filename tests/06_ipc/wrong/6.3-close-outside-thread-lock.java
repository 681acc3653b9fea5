// Known-wrong answer to exercise 6.3 (the course's old reference): closes its channel outside the thread lock;
// closing any channel to a file releases every lock the JVM holds on it, so another thread's line loses its FileLock mid-way.
class Ipc {
    static void appendLines(java.nio.file.Path file, java.util.List<String> lines) throws java.io.IOException {
        try (java.nio.channels.FileChannel channel = openForAppend(file)) {
            for (String line : lines) appendLine(channel, line);
        }
    }
}
