// Known-wrong answer to exercise 6.2: frames messages as lines (println / readLine), so a
// request that contains a newline arrives as several messages and the replies go wrong.
class Ipc {
    static void writeText(java.io.DataOutputStream out, String text) throws java.io.IOException {
        out.write((text + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    static String readText(java.io.DataInputStream in) throws java.io.IOException {
        java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) throw new java.io.EOFException();
            line.write(b);
        }
        return line.toString(java.nio.charset.StandardCharsets.UTF_8);
    }
}
