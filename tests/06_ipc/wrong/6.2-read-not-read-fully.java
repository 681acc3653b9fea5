// Known-wrong answer to exercise 6.2: reads a message's bytes with one read(), which returns what has arrived so far, not
// the whole message: a long request arrives cut short, and the next length prefix is read from the middle of its text.
class Ipc {
    static String readText(java.io.DataInputStream in) throws java.io.IOException {
        byte[] utf8 = new byte[in.readInt()];
        int got = in.read(utf8);
        return new String(utf8, 0, Math.max(got, 0), java.nio.charset.StandardCharsets.UTF_8);
    }
}
