// Known-wrong answer to exercise 6.2: gets every reply, but returns without closing the
// connection or waiting for the child, which is left running, waiting for more requests.
class Ipc {
    static java.util.List<String> askChild(java.util.List<String> requests) throws java.io.IOException {
        java.nio.file.Path folder = java.nio.file.Files.createTempDirectory("ask-child-");
        java.nio.file.Path socket = folder.resolve("child.sock");
        java.nio.channels.ServerSocketChannel server = java.nio.channels.ServerSocketChannel.open(java.net.StandardProtocolFamily.UNIX);
        server.bind(java.net.UnixDomainSocketAddress.of(socket));
        startReplyServer(socket);
        java.nio.channels.SocketChannel channel = server.accept();
        java.nio.file.Files.delete(socket); // connected: the path is no longer needed
        java.nio.file.Files.delete(folder);
        return exchange(channel, requests);
    }
}
