// Known-wrong answer to exercise 6.2: the child writes its reply into a buffered stream but
// never flushes it, so the reply sits in the child's buffer while the parent waits for it.
class Ipc {
    static void replyServer(java.nio.file.Path socket) throws java.io.IOException {
        try (java.nio.channels.SocketChannel channel = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            channel.connect(java.net.UnixDomainSocketAddress.of(socket));
            java.io.DataInputStream in = new java.io.DataInputStream(java.nio.channels.Channels.newInputStream(channel));
            java.io.DataOutputStream out = new java.io.DataOutputStream(
                    new java.io.BufferedOutputStream(java.nio.channels.Channels.newOutputStream(channel)));
            while (true) {
                String request;
                try {
                    request = readText(in);
                } catch (java.io.EOFException parentClosed) {
                    return;
                }
                writeText(out, reply(request));
            }
        }
    }
}
