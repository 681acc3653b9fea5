// Known-wrong answer to exercise 6.3: a lock file (created with CREATE_NEW, deleted when done) instead of a FileLock: a writer
// that crashes mid-way leaves the lock file behind, and every other writer waits for it forever.
class Ipc {
    static void appendLines(java.nio.file.Path file, java.util.List<String> lines) throws java.io.IOException {
        java.nio.file.Path lockFile = file.resolveSibling(file.getFileName() + ".lock");
        while (true) {
            try {
                java.nio.file.Files.createFile(lockFile);
                break;
            } catch (java.nio.file.FileAlreadyExistsException taken) {
                Thread.onSpinWait();
            }
        }
        try (java.nio.channels.FileChannel channel = openForAppend(file)) {
            for (String line : lines) writeInPieces(channel, line + "\n", PIECES_PER_LINE);
        } finally {
            java.nio.file.Files.delete(lockFile);
        }
    }
}
