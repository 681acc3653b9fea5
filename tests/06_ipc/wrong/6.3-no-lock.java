// Known-wrong answer to exercise 6.3: appends without any lock, trusting APPEND; each small
// write lands at the end, but other writers' pieces land between the pieces of a line.
class Ipc {
    static void appendLine(java.nio.channels.FileChannel channel, String line) throws java.io.IOException {
        writeInPieces(channel, line + "\n", PIECES_PER_LINE);
    }
}
