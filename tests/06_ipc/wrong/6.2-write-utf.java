// Known-wrong answer to exercise 6.2: frames with writeUTF/readUTF, whose two-byte length
// prefix limits a message to 65,535 bytes: a long request cannot be sent at all.
class Ipc {
    static void writeText(java.io.DataOutputStream out, String text) throws java.io.IOException {
        out.writeUTF(text);
    }

    static String readText(java.io.DataInputStream in) throws java.io.IOException {
        return in.readUTF();
    }
}
