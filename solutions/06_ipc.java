///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Ipc

// Reference answers to the exercises of lessons/06_ipc.java.
// Run it to see each answer at work: ./jbang solutions/06_ipc.java

import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

class Ipc {

    static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("reply-server")) { // the child's role in 6.2
            replyServer(Path.of(args[1]));
            return;
        }
        ConcurrentLinkedQueue<String> handled = new ConcurrentLinkedQueue<>();
        AtomicInteger made = new AtomicInteger();
        workQueue(List.of(List.of("a1", "a2", "a3"), List.of("b1", "b2")), 3, 2, handled::add,
                task -> new Thread(task, "worker-" + made.incrementAndGet()));
        System.out.println("6.1 workQueue handled " + handled.size() + " items on " + made.get() + " threads: " + handled);

        System.out.println("6.2 askChild: " + askChild(List.of("ping", "two\nlines")));

        Path folder = Files.createTempDirectory("ipc-solution-");
        Path file = folder.resolve("lines.txt");
        try {
            Thread first = Thread.ofPlatform().start(() -> append(file, "first"));
            Thread second = Thread.ofPlatform().start(() -> append(file, "second"));
            first.join();
            second.join();
            System.out.println("6.3 appendLines from 2 threads: " + Files.readAllLines(file).size() + " whole lines");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        }
    }

    static void append(Path file, String who) {
        try {
            appendLines(file, List.of(who + " 1", who + " 2", who + " 3"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    // Exercise 6.1: one bounded queue; producers put, and when all of them have ended we
    // put one pill per consumer. The queue is FIFO, so every pill comes after every item,
    // and each consumer stops at the first pill it takes. Then we join the consumers.
    static void workQueue(List<? extends Iterable<String>> producers, int consumers, int capacity,
                          Consumer<String> handle, ThreadFactory threads) throws InterruptedException {
        BlockingQueue<String> queue = boundedQueue(capacity);
        List<Thread> producerThreads = new ArrayList<>();
        for (Iterable<String> items : producers) producerThreads.add(threads.newThread(producer(items, queue)));
        List<Thread> consumerThreads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) consumerThreads.add(threads.newThread(consumer(queue, handle)));
        producerThreads.forEach(Thread::start);
        consumerThreads.forEach(Thread::start);
        for (Thread producer : producerThreads) producer.join();
        stopConsumers(queue, consumers);
        for (Thread consumer : consumerThreads) consumer.join();
    }

    static final String PILL = new String("no more work"); // compared by identity: no item can be it

    static BlockingQueue<String> boundedQueue(int capacity) {
        return new ArrayBlockingQueue<>(capacity); // put() waits while it is full
    }

    static Runnable producer(Iterable<String> items, BlockingQueue<String> queue) {
        return () -> {
            try {
                for (String item : items) queue.put(item);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    static Runnable consumer(BlockingQueue<String> queue, Consumer<String> handle) {
        return () -> {
            try {
                for (String item; (item = queue.take()) != PILL; ) handle.accept(item);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        };
    }

    static void stopConsumers(BlockingQueue<String> queue, int consumers) throws InterruptedException {
        for (int c = 0; c < consumers; c++) queue.put(PILL); // one each
    }

    // Exercise 6.2: length-prefixed UTF-8 frames both ways (no limit on content, unlike
    // lines or writeUTF's 64 KB), flushed after every message, or the other side waits
    // forever for bytes that sit in our buffer.
    static List<String> askChild(List<String> requests) throws IOException, InterruptedException {
        Path folder = Files.createTempDirectory("ask-child-");
        Path socket = folder.resolve("child.sock");
        Process child = null;
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socket));
            child = startReplyServer(socket);
            // Should the child die before it connects, accept() must not wait forever.
            child.onExit().thenRun(() -> closeQuietly(server));
            List<String> replies;
            try (SocketChannel channel = server.accept()) {
                replies = exchange(channel, requests);
            } // closing the connection tells the child to stop
            if (!child.waitFor(10, TimeUnit.SECONDS)) throw new IOException("the child did not end");
            return replies;
        } finally {
            if (child != null) {
                child.destroyForcibly();
                child.waitFor(5, TimeUnit.SECONDS);
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(folder);
        }
    }

    static Process startReplyServer(Path socket) throws IOException {
        return new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Ipc.class.getName(), "reply-server", socket.toString())
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    static List<String> exchange(SocketChannel channel, List<String> requests) throws IOException {
        DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
        List<String> replies = new ArrayList<>(requests.size());
        for (String request : requests) {
            writeText(out, request);
            out.flush();
            replies.add(readText(in));
        }
        return replies;
    }

    static void closeQuietly(ServerSocketChannel server) {
        try {
            server.close();
        } catch (IOException ignored) {
            // it is closing anyway
        }
    }

    static void replyServer(Path socket) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socket));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
            while (true) {
                String request;
                try {
                    request = readText(in);
                } catch (EOFException parentClosed) {
                    return;
                }
                writeText(out, reply(request));
                out.flush();
            }
        }
    }

    static void writeText(DataOutputStream out, String text) throws IOException {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        out.writeInt(utf8.length);
        out.write(utf8);
    }

    static String readText(DataInputStream in) throws IOException {
        byte[] utf8 = new byte[in.readInt()];
        in.readFully(utf8);
        return new String(utf8, StandardCharsets.UTF_8);
    }

    static String reply(String request) {
        return "pid " + ProcessHandle.current().pid() + " read " + request.length() + " chars: " + request;
    }

    // Exercise 6.3: two locks, in this order. The ReentrantLock keeps out the other
    // threads of this JVM (a FileLock cannot: it belongs to the whole JVM, and a second
    // thread's lock() would throw OverlappingFileLockException); the FileLock keeps out
    // the other processes. APPEND puts every write at the end of the file.
    //
    // The close needs the thread lock too. On Linux (and macOS) a file lock belongs to
    // the process, and closing ANY channel to the file releases every lock the JVM holds
    // on it, even the one another thread took through a channel of its own (while that
    // FileLock's isValid() still says true). Closed outside the thread lock, our channel
    // would unlock a line another thread is writing, and another process could write
    // into it. Closed under the thread lock, no thread of ours holds a FileLock then.
    static final ReentrantLock THIS_JVM = new ReentrantLock();
    static final int PIECES_PER_LINE = 8;

    static void appendLines(Path file, List<String> lines) throws IOException {
        FileChannel channel = openForAppend(file);
        try {
            for (String line : lines) appendLine(channel, line);
        } finally {
            closeWhileNoThreadHoldsTheLock(channel);
        }
    }

    static FileChannel openForAppend(Path file) throws IOException {
        return FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }

    static void appendLine(FileChannel channel, String line) throws IOException {
        THIS_JVM.lock();
        try (FileLock ignored = channel.lock()) {
            writeInPieces(channel, line + "\n", PIECES_PER_LINE);
        } finally {
            THIS_JVM.unlock();
        }
    }

    static void closeWhileNoThreadHoldsTheLock(FileChannel channel) throws IOException {
        THIS_JVM.lock();
        try {
            channel.close();
        } finally {
            THIS_JVM.unlock();
        }
    }

    static void writeInPieces(FileChannel channel, String text, int pieces) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int piece = 0; piece < pieces; piece++) {
            int from = bytes.length * piece / pieces, to = bytes.length * (piece + 1) / pieces;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from);
            while (buffer.hasRemaining()) channel.write(buffer);
        }
    }
}
