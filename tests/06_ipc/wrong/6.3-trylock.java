// Known-wrong answer to exercise 6.3: tryLock() instead of lock(): when another process holds the lock it returns null at once,
// and the line is written anyway; file locks are advisory, they stop only those who ask for them and wait.
class Ipc {
    static void appendLine(java.nio.channels.FileChannel channel, String line) throws java.io.IOException {
        THIS_JVM.lock();
        java.nio.channels.FileLock held = channel.tryLock();
        try {
            writeInPieces(channel, line + "\n", PIECES_PER_LINE);
        } finally {
            if (held != null) held.release();
            THIS_JVM.unlock();
        }
    }
}
