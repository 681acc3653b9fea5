// Known-wrong answer to exercise 6.3: a synchronized method keeps out the other threads of
// this JVM, but not the other processes, which write between the pieces of a line.
class Ipc {
    static synchronized void appendLine(java.nio.channels.FileChannel channel, String line) throws java.io.IOException {
        writeInPieces(channel, line + "\n", PIECES_PER_LINE);
    }
}
