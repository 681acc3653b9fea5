// Known-wrong answer to exercise 6.2: sends every request before reading any reply; with big messages the child's replies
// fill the socket's buffers, the child stops reading to wait for room, and both sides wait for each other forever.
class Ipc {
    static java.util.List<String> exchange(java.nio.channels.SocketChannel channel, java.util.List<String> requests)
            throws java.io.IOException {
        java.io.DataInputStream in = new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(channel));
        java.io.DataOutputStream out = new java.io.DataOutputStream(
                new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel)));
        for (String request : requests) writeText(out, request);
        out.flush();
        java.util.List<String> replies = new java.util.ArrayList<>(requests.size());
        for (int i = 0; i < requests.size(); i++) replies.add(readText(in));
        return replies;
    }
}
