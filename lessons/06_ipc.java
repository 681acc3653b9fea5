///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Ipc

/* ------------------------------------------------------------------------------------
 * Lesson 06: inter-process communication.
 *
 * How do threads hand work to each other without losing or repeating any, and how do
 * separate processes (other JVMs) send each other messages and share a file safely?
 *
 *     ./jbang lessons/06_ipc.java         run this lesson (add --quick for a short run)
 *     ./jbang check 06                    check your answers to the exercises at the end
 *     ./jbang hint 6.1                    a hint for exercise 6.1, one layer per call
 *
 * Threads of one JVM share the heap, so a queue between them passes references. Two
 * processes share nothing: every message must be turned into bytes (serialised), cut
 * into messages the reader can find again (framed), and carried by the operating system
 * (a pipe, a socket, a file). This lesson starts child JVMs of its own class, the way
 * Python's multiprocessing starts child interpreters, and ends every one of them before
 * it exits. Every number it prints was measured just now, on your machine.
 * ------------------------------------------------------------------------------------ */

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Stream;

class Ipc {

    static final long START = System.nanoTime();
    static boolean quick;

    // Every line says when it was printed (milliseconds since the start) and by which
    // thread, so you can see the threads interleave.
    static void log(String message) {
        long millis = (System.nanoTime() - START) / 1_000_000;
        System.out.printf("%6d ms  %-16s %s%n", millis, Thread.currentThread().getName(), message);
    }

    // The same class runs as the lesson (no argument, or --quick) and as each kind of
    // child JVM the lesson starts: the first argument names the child's role.
    static void main(String[] args) throws Exception {
        if (args.length > 0 && !args[0].startsWith("--")) {
            switch (args[0]) {
                case "send-stdout" -> sendOverStdout(Integer.parseInt(args[1]));
                case "send-socket" -> sendOverSocket(Path.of(args[1]), Integer.parseInt(args[2]));
                case "append" -> appendAsChild(Path.of(args[1]), args[2], args[3].equals("lock"), Integer.parseInt(args[4]));
                case "reply-server" -> replyServer(Path.of(args[1]));
                case "ignore-the-lock" -> ignoreTheLock(Path.of(args[1]));
                default -> throw new IllegalArgumentException("unknown child role " + args[0]);
            }
            return;
        }
        quick = List.of(args).contains("--quick");
        // Should we be stopped early (Ctrl-C), no child JVM may outlive us.
        Runtime.getRuntime().addShutdownHook(new Thread(() ->
                ProcessHandle.current().descendants().forEach(ProcessHandle::destroyForcibly)));
        Path scratch = Files.createTempDirectory("ipc-lesson-");
        try {
            onePillTooFew();
            boundedQueue();
            framing();
            overStdout();
            overUnixSocket(scratch);
            objectStreams();
            oneFileManyProcesses(scratch);
            fileLockIsPerJvm(scratch);
            closingUnlocks(scratch);
            throughput();
        } finally {
            deleteTree(scratch);
        }
        System.out.println();
        System.out.println("Now the exercises at the end of this file: ./jbang check 06");
    }

    static void section(String title) {
        System.out.printf("%n== %s ==%n", title);
    }

    /* ---------------------------------------------------------------------------------
     * Between threads: a BlockingQueue, and how to tell consumers to stop.
     *
     * A `BlockingQueue` is the thread version of the notebook's `Queue`: `put` adds an
     * item (waiting while a bounded queue is full), `take` removes one (waiting while it
     * is empty). Each item goes to exactly one taker. But a consumer blocked in `take()`
     * cannot tell "no item yet" from "no item ever": we must say so with a message, a
     * "poison pill", an item that means "stop".
     *
     * The broken version first: two consumers, and one pill. Consumer A takes the pill
     * and stops; consumer B waits in `take()` for an item that never comes. Nothing
     * fails, nothing is printed: the program just never ends. We wait a bounded time and
     * look.
     * --------------------------------------------------------------------------------- */
    static void onePillTooFew() throws InterruptedException {
        section("Between threads: one poison pill for two consumers");
        BlockingQueue<String> queue = new ArrayBlockingQueue<>(16);
        String pill = "STOP";
        AtomicLong handled = new AtomicLong();
        List<Thread> consumers = new ArrayList<>();
        for (String name : List.of("consumer-A", "consumer-B")) {
            consumers.add(Thread.ofPlatform().name(name).start(() -> {
                try {
                    for (String item; !(item = queue.take()).equals(pill); ) handled.incrementAndGet();
                    log("took the pill: stopping");
                } catch (InterruptedException e) {
                    log("interrupted while waiting in take(): nobody sent me a pill");
                }
            }));
        }
        for (int i = 0; i < 100; i++) queue.put("job " + i);
        queue.put(pill); // one pill, two consumers: the bug
        long stillWaiting = 0;
        for (Thread consumer : consumers) if (!consumer.join(Duration.ofMillis(300))) stillWaiting++;
        log(String.format("%d items handled; after 300 ms, %d of 2 consumers still waiting in take(), state %s",
                handled.get(), stillWaiting, consumers.stream().filter(Thread::isAlive).map(Thread::getState).toList()));
        // The cure: one pill per consumer. Here we rescue the stuck one by interrupting it.
        consumers.forEach(Thread::interrupt);
        for (Thread consumer : consumers) consumer.join();
    }

    /* ---------------------------------------------------------------------------------
     * Several producers, several consumers, a bounded queue: back-pressure.
     *
     * Three producers make items faster than two consumers can handle them. With an
     * unbounded queue the backlog would grow until memory runs out; with a bounded one,
     * `put` blocks when the queue is full, so producers slow down to the consumers'
     * pace. We count how often a producer found the queue full (`offer` said no) and how
     * long it then waited in `put`.
     *
     * Shutdown: when every producer has ended (we join them), we put one pill per
     * consumer. The queue is FIFO, so each pill comes after every real item. Then we
     * check what arrived: the exact multiset, no duplicate, nothing missing.
     * --------------------------------------------------------------------------------- */
    static void boundedQueue() throws InterruptedException {
        section("Between threads: bounded queue, 3 producers, 2 consumers");
        int producers = 3, consumers = 2, capacity = 32;
        int perProducer = quick ? 2_000 : 10_000;
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(capacity);
        Integer pill = -1;
        AtomicLong timesFull = new AtomicLong(), nanosBlocked = new AtomicLong();
        Map<Integer, Integer> deliveries = new ConcurrentHashMap<>();

        long begin = System.nanoTime();
        List<Thread> producerThreads = new ArrayList<>();
        for (int p = 0; p < producers; p++) {
            int first = p * perProducer;
            producerThreads.add(Thread.ofPlatform().name("producer-" + p).start(() -> {
                try {
                    for (int item = first; item < first + perProducer; item++) {
                        if (!queue.offer(item)) {       // full: we will have to wait
                            timesFull.incrementAndGet();
                            long waitBegin = System.nanoTime();
                            queue.put(item);
                            nanosBlocked.addAndGet(System.nanoTime() - waitBegin);
                        }
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        List<Thread> consumerThreads = new ArrayList<>();
        for (int c = 0; c < consumers; c++) {
            consumerThreads.add(Thread.ofPlatform().name("consumer-" + c).start(() -> {
                try {
                    for (Integer item; !(item = queue.take()).equals(pill); ) {
                        deliveries.merge(item, 1, Integer::sum);
                        slowWork(20_000); // handling an item takes longer than making one
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }));
        }
        for (Thread producer : producerThreads) joinOrGiveUp(producer);
        for (int c = 0; c < consumers; c++) queue.put(pill); // one pill per consumer
        for (Thread consumer : consumerThreads) joinOrGiveUp(consumer);
        long millis = (System.nanoTime() - begin) / 1_000_000;

        int sent = producers * perProducer;
        long duplicates = deliveries.values().stream().filter(count -> count > 1).count();
        long missing = sent - deliveries.size();
        log(String.format("sent %,d items, delivered %,d distinct, %d delivered twice, %d missing, in %,d ms",
                sent, deliveries.size(), duplicates, missing, millis));
        log(String.format("producers found the queue (capacity %d) full %,d times and waited %,d ms in put()",
                capacity, timesFull.get(), nanosBlocked.get() / 1_000_000));
        log(String.format("all %d consumers ended: %b (each took its own pill)",
                consumers, consumerThreads.stream().noneMatch(Thread::isAlive)));
    }

    // Busy work standing in for "handling an item": a loop the JIT cannot remove.
    static long slowWork(int steps) {
        long x = steps;
        for (int i = 0; i < steps; i++) x = x * 6364136223846793005L + 1442695040888963407L;
        if (x == 42) System.out.print("");
        return x;
    }

    static void joinOrGiveUp(Thread thread) throws InterruptedException {
        if (!thread.join(Duration.ofSeconds(20))) {
            thread.interrupt();
            throw new IllegalStateException(thread.getName() + " did not end within 20 s");
        }
    }

    /* ---------------------------------------------------------------------------------
     * Framing and serialisation: one message as bytes.
     *
     * A pipe or a socket carries a stream of bytes, not messages: one `write` of 100
     * bytes may arrive as two `read`s of 60 and 40, and two small writes as one read.
     * So the reader must be told where a message ends. Two common ways:
     *   - lines: end each message with '\n'. Simple, readable, but the message itself
     *     must never contain a '\n' (escape it, or use this only for text you control);
     *   - a length prefix: write the message's size, then its bytes. The reader reads
     *     exactly four bytes, then exactly that many. Any content is fine.
     *
     * Inside the frame, the values must become bytes: we write each one as a tag ('i'
     * for an int, 'n' for null, 's' for a string) followed by its value, with
     * `DataOutputStream`. The reader can only ever get ints, nulls and strings back,
     * whatever bytes an attacker sends: that is the point (see the next sections).
     * --------------------------------------------------------------------------------- */
    static void writeMessage(DataOutputStream out, List<?> values) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        DataOutputStream fields = new DataOutputStream(body);
        fields.writeInt(values.size());
        for (Object value : values) {
            switch (value) {
                case null -> fields.writeByte('n');
                case Integer number -> {
                    fields.writeByte('i');
                    fields.writeInt(number);
                }
                case String text -> {
                    byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
                    fields.writeByte('s');
                    fields.writeInt(utf8.length);
                    fields.write(utf8);
                }
                default -> throw new IllegalArgumentException("cannot send a " + value.getClass().getName());
            }
        }
        out.writeInt(body.size()); // the frame: length, then body
        body.writeTo(out);
    }

    // Reads one message written by writeMessage; EOFException if the stream ended first.
    static List<Object> readMessage(DataInputStream in) throws IOException {
        int length = in.readInt();
        if (length < 0 || length > 64 << 20) throw new IOException("implausible message length " + length);
        DataInputStream fields = new DataInputStream(new ByteArrayInputStream(in.readNBytes(length)));
        int count = fields.readInt();
        List<Object> values = new ArrayList<>(Math.min(count, 1024));
        for (int i = 0; i < count; i++) {
            int tag = fields.readByte();
            values.add(switch (tag) {
                case 'n' -> null;
                case 'i' -> fields.readInt();
                case 's' -> new String(fields.readNBytes(fields.readInt()), StandardCharsets.UTF_8);
                default -> throw new IOException("unknown tag " + tag);
            });
        }
        return values;
    }

    /* ---------------------------------------------------------------------------------
     * Both framings, tried on the same two messages, one of which holds a newline. As
     * lines, the reader finds three messages where we sent two; with the length prefix,
     * it finds exactly what we sent.
     * --------------------------------------------------------------------------------- */
    static void framing() throws IOException {
        section("Framing: where does one message end?");
        List<String> sent = List.of("one line", "two\nlines");
        ByteArrayOutputStream asLines = new ByteArrayOutputStream();
        for (String message : sent) asLines.write((message + "\n").getBytes(StandardCharsets.UTF_8));
        List<String> linesBack = new BufferedReader(new InputStreamReader(
                new ByteArrayInputStream(asLines.toByteArray()), StandardCharsets.UTF_8)).lines().toList();
        log(String.format("sent %d messages as lines, read back %d: %s", sent.size(), linesBack.size(), shown(linesBack)));

        ByteArrayOutputStream framed = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(framed);
        for (String message : sent) writeMessage(out, List.of(message));
        DataInputStream in = new DataInputStream(new ByteArrayInputStream(framed.toByteArray()));
        List<Object> framedBack = new ArrayList<>();
        while (in.available() > 0) framedBack.addAll(readMessage(in));
        log(String.format("sent %d messages length-prefixed, read back %d: %s", sent.size(), framedBack.size(), shown(framedBack)));
    }

    static String shown(List<?> messages) {
        return messages.stream().map(message -> "\"" + String.valueOf(message).replace("\n", "\\n") + "\"").toList().toString();
    }

    // How the lesson starts a child JVM of its own class: this JVM's java, this JVM's
    // class path, the class name, and the child's role. Its standard error is ours.
    static Process startChild(String... roleAndArguments) throws IOException {
        List<String> command = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Ipc.class.getName()));
        command.addAll(List.of(roleAndArguments));
        return new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.INHERIT).start();
    }

    // Ends a child for sure: a polite wait, then the kill, then wait until it is gone.
    static void endChild(Process child) throws InterruptedException {
        if (!child.waitFor(5, TimeUnit.SECONDS)) child.destroyForcibly();
        child.waitFor(5, TimeUnit.SECONDS);
    }

    // Lets no wait on a child last forever: kills it after `limit`, which ends every read
    // from it (they see the end of the stream).
    static void killAfter(Process child, Duration limit) {
        Thread.ofVirtual().name("watchdog").start(() -> {
            try {
                if (!child.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS)) child.destroyForcibly();
            } catch (InterruptedException ignored) {
                child.destroyForcibly();
            }
        });
    }

    static final List<Object> HELLO = Arrays.asList(42, null, "hello");
    static final Map<String, Double> messagesPerSecond = new HashMap<>();

    /* ---------------------------------------------------------------------------------
     * Between processes, one way: the child's standard output is a pipe.
     *
     * The notebook's `mp.Queue` carries pickled objects from a child to its parent. Our
     * child JVM writes framed messages to its standard output; for the parent that is
     * `process.getInputStream()`, one end of an operating-system pipe. The child must
     * print nothing else there (logs go to standard error), or the frames are corrupted.
     * After the greeting, it sends a burst of small messages so that we can time the pipe.
     * --------------------------------------------------------------------------------- */
    static void overStdout() throws IOException, InterruptedException {
        section("Between processes: a message over the child's standard output (a pipe)");
        int burst = quick ? 50_000 : 300_000;
        Process child = startChild("send-stdout", String.valueOf(burst));
        killAfter(child, Duration.ofSeconds(30));
        try (DataInputStream in = new DataInputStream(child.getInputStream())) {
            List<Object> hello = readMessage(in);
            log("child JVM, pid " + child.pid() + ", sent over its stdout: " + hello);
            messagesPerSecond.put("pipe (child's stdout)", timeBurst(in, burst));
        } finally {
            endChild(child);
        }
    }

    static void sendOverStdout(int burst) throws IOException {
        // Standard output, unbuffered by System.out's PrintStream, with a buffer of ours.
        DataOutputStream out = new DataOutputStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16));
        writeMessage(out, HELLO);
        out.flush(); // without it, the greeting would sit in our buffer
        sendBurst(out, burst);
    }

    // A burst: `count` messages [number, "tick"], then the time it took to read them.
    static void sendBurst(DataOutputStream out, int count) throws IOException {
        List<Object> tick = new ArrayList<>(Arrays.asList(0, "tick"));
        for (int i = 0; i < count; i++) {
            tick.set(0, i);
            writeMessage(out, tick);
        }
        out.flush();
    }

    static double timeBurst(DataInputStream in, int count) throws IOException {
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            List<Object> tick = readMessage(in);
            if (!tick.get(0).equals(i)) throw new IOException("expected message " + i + ", got " + tick);
        }
        return count / ((System.nanoTime() - begin) / 1e9);
    }

    /* ---------------------------------------------------------------------------------
     * Between processes, both ways: a Unix domain socket, like the notebook's Pipe().
     *
     * `Pipe()` gives two connected ends, each can send and receive. A Unix domain socket
     * does the same between any two processes on one machine, and it is found by a path
     * in the file system. The parent binds a server socket to a path in its temporary
     * folder, starts the child with that path, and accepts (waiting at most 10 s). Then:
     * the child sends the greeting, the parent answers, the child echoes the answer
     * back, and both directions have carried a message. The socket file is deleted with
     * the folder at the end.
     * --------------------------------------------------------------------------------- */
    static void overUnixSocket(Path scratch) throws IOException, InterruptedException {
        section("Between processes: both ways over a Unix domain socket (like Pipe())");
        int burst = quick ? 50_000 : 300_000;
        Path socketFile = scratch.resolve("lesson.sock");
        try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            server.bind(UnixDomainSocketAddress.of(socketFile));
            Process child = startChild("send-socket", socketFile.toString(), String.valueOf(burst));
            killAfter(child, Duration.ofSeconds(30));
            try (SocketChannel channel = acceptWithin(server, Duration.ofSeconds(10))) {
                // Buffer both directions: unbuffered, every readInt would be a read system call
                // of its own (JDK 25 asks for all four bytes in one read; older JDKs made four
                // one-byte reads), and every small write its own system call too.
                DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel)));
                log("child JVM, pid " + child.pid() + ", sent over the socket: " + readMessage(in));
                writeMessage(out, List.of("thanks, child", 7));
                out.flush();
                log("the child echoed our answer back: " + readMessage(in));
                messagesPerSecond.put("Unix domain socket", timeBurst(in, burst));
            } finally {
                endChild(child);
            }
        } finally {
            Files.deleteIfExists(socketFile);
        }
    }

    static SocketChannel acceptWithin(ServerSocketChannel server, Duration limit) throws IOException {
        server.configureBlocking(false);
        try (Selector selector = Selector.open()) {
            server.register(selector, SelectionKey.OP_ACCEPT);
            if (selector.select(limit.toMillis()) == 0) throw new IOException("no child connected within " + limit);
        }
        SocketChannel channel = server.accept(); // a new channel: blocking, as we want it
        if (channel == null) throw new IOException("the connection went away");
        return channel;
    }

    static void sendOverSocket(Path socketFile, int burst) throws IOException {
        try (SocketChannel channel = SocketChannel.open(StandardProtocolFamily.UNIX)) {
            channel.connect(UnixDomainSocketAddress.of(socketFile));
            DataInputStream in = new DataInputStream(new BufferedInputStream(Channels.newInputStream(channel)));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(Channels.newOutputStream(channel), 1 << 16));
            writeMessage(out, HELLO);
            out.flush();
            List<Object> answer = readMessage(in);
            List<Object> echo = new ArrayList<>(List.of("child " + ProcessHandle.current().pid() + " got"));
            echo.addAll(answer);
            writeMessage(out, echo);
            sendBurst(out, burst);
        }
    }

    /* ---------------------------------------------------------------------------------
     * Why not just send Java objects? ObjectInputStream on bytes we do not trust.
     *
     * Python's pickle and Java's `ObjectInputStream` both rebuild objects of whatever
     * class the *bytes* name, and run that class's code (`readObject`) while doing it,
     * before our cast ever checks the type. An attacker who can send us bytes picks
     * classes on our class path whose readObject code chains into something harmful (a
     * "gadget chain"): this is how many real remote-code-execution bugs worked. We play
     * the attacker with a harmless class whose readObject just logs.
     *
     * Two defences: do not deserialise objects from untrusted input at all (send data in
     * a format like the one above: the reader decides what it builds), or, if you must,
     * an `ObjectInputFilter` that allows a short list of classes and rejects the rest,
     * with limits too: a depth, a number of references, of bytes and of array elements,
     * or a small stream can still make the reader build a huge or deeply nested graph.
     * Ours names five classes (`java.lang.Object` only for the Object[] inside an
     * ArrayList: a filter checks an array by its element type), not "java.util.*", whose
     * hundreds of classes are exactly where gadgets hide. A JVM-wide filter needs no
     * code: `-Djdk.serialFilter=<the same pattern>` applies it to every ObjectInputStream.
     * --------------------------------------------------------------------------------- */
    static void objectStreams() throws IOException, ClassNotFoundException {
        section("Serialisation: ObjectInputStream runs code the sender chose");
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
            out.writeObject(new Surprise());    // we expected a list of values
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            List<?> values = (List<?>) in.readObject();
            log("got " + values);
        } catch (ClassCastException e) {
            log("our cast failed (" + e.getClass().getSimpleName() + "), but only after the sender's readObject had run");
        }
        ObjectInputFilter onlyData = ObjectInputFilter.Config.createFilter("maxdepth=4;maxrefs=100;maxbytes=4096;"
                + "maxarray=100;java.util.ArrayList;java.lang.Integer;java.lang.Number;java.lang.String;java.lang.Object;!*");
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
            in.setObjectInputFilter(onlyData);
            in.readObject();
        } catch (java.io.InvalidClassException e) {
            log("with an allow-list filter: " + e.getMessage() + " (no code of the class ran)");
        }
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        try (ObjectOutputStream out = new ObjectOutputStream(data)) {
            out.writeObject(new ArrayList<>(List.of(42, "hello")));
        }
        try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(data.toByteArray()))) {
            in.setObjectInputFilter(onlyData);
            log("the same filter lets plain data through: " + in.readObject());
        }
    }

    static class Surprise implements Serializable {
        private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
            in.defaultReadObject();
            log("Surprise.readObject is running: code picked by the bytes, not by the reader");
        }
    }

    /* ---------------------------------------------------------------------------------
     * Several processes, one file: lines that break, then a FileLock.
     *
     * The notebook uses "a lock so only one process prints at a time". Let's do it for
     * real: three child JVMs append lines to one log file. Each writes a line in eight
     * small writes (think of a logger writing a timestamp, then a level, then the
     * text). The file is opened for APPEND, so no write overwrites another; but between
     * two writes of child 1, child 2 can slip in its own, and a line breaks:
     *
     *     child-1 line 00017 =========    child-2 line 00009 ====...
     *
     * All three wait for a start signal on their standard input once their JVM is up,
     * so that they really write at the same time. Then the fix: `FileChannel.lock()`
     * around each whole line. The operating system grants that lock to one process at
     * a time; the others wait in `lock()`.
     *
     * Why does the notebook's printing seldom break lines even without a lock? Not
     * thanks to the lock: processes printing to one terminal or pipe write to a pipe, and
     * POSIX makes a write of at most PIPE_BUF bytes (4,096 on Linux) to a pipe atomic: its
     * bytes never mix with another writer's. A line printed in ONE write, shorter than
     * that, arrives whole. A lock is needed when a line takes several writes (as here:
     * eight) or is longer than PIPE_BUF; and a regular file has no PIPE_BUF promise at all.
     * --------------------------------------------------------------------------------- */
    static void oneFileManyProcesses(Path scratch) throws IOException, InterruptedException {
        section("Several processes append to one file: without a lock, then with FileLock");
        int children = 3, linesEach = quick ? 2_000 : 5_000;
        Path log = scratch.resolve("shared.log");
        for (int attempt = 1; attempt <= 3; attempt++) {
            Files.deleteIfExists(log);
            long millis = runAppenders(log, children, linesEach, false);
            long broken = brokenLines(log);
            log(String.format("no lock: %d children wrote %,d lines in %,d ms; %,d lines are broken",
                    children, children * linesEach, millis, broken));
            if (broken > 0) {
                log("for example: " + Files.readAllLines(log).stream().filter(line -> !WHOLE_LINE.matcher(line).matches())
                        .findFirst().orElse("?"));
                break;
            }
            log("no line broke this time: the children did not write at the same moment"
                    + (attempt < 3 ? "; trying again" : "; the race is still there, we were lucky 3 times"));
        }
        Files.deleteIfExists(log);
        long millis = runAppenders(log, children, linesEach, true);
        log(String.format("FileLock: %d children wrote %,d lines in %,d ms; %,d lines are broken",
                children, children * linesEach, millis, brokenLines(log)));
    }

    static final Pattern WHOLE_LINE = Pattern.compile("child-\\d line \\d{5} =+ end");
    static final int PIECES_PER_LINE = 8;

    // Starts the appenders, waits until each is ready, says "go" to all, and returns the
    // longest time one of them spent writing.
    static long runAppenders(Path log, int children, int linesEach, boolean lock) throws IOException, InterruptedException {
        List<Process> appenders = new ArrayList<>();
        try {
            for (int c = 1; c <= children; c++) {
                Process child = startChild("append", log.toString(), "child-" + c, lock ? "lock" : "nolock",
                        String.valueOf(linesEach));
                killAfter(child, Duration.ofSeconds(30));
                appenders.add(child);
            }
            List<BufferedReader> replies = new ArrayList<>();
            for (Process child : appenders) {
                BufferedReader reply = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
                if (!"ready".equals(reply.readLine())) throw new IOException("an appender did not start");
                replies.add(reply);
            }
            for (Process child : appenders) child.getOutputStream().write("go\n".getBytes(StandardCharsets.UTF_8));
            for (Process child : appenders) child.getOutputStream().flush();
            long longest = 0;
            for (BufferedReader reply : replies) {
                String done = reply.readLine(); // "done <milliseconds>"
                if (done == null) throw new IOException("an appender failed");
                longest = Math.max(longest, Long.parseLong(done.substring(5)));
            }
            return longest;
        } finally {
            for (Process child : appenders) endChild(child);
        }
    }

    static void appendAsChild(Path log, String name, boolean lock, int lines) throws IOException {
        System.out.println("ready");
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine(); // the start signal
        long begin = System.nanoTime();
        try (FileChannel channel = FileChannel.open(log, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            for (int i = 0; i < lines; i++) {
                String line = String.format("%s line %05d %s end%n", name, i, "=".repeat(24));
                if (lock) {
                    try (FileLock held = channel.lock()) { // waits while another process holds it
                        writeInPieces(channel, line, PIECES_PER_LINE);
                    }
                } else {
                    writeInPieces(channel, line, PIECES_PER_LINE);
                }
            }
        }
        System.out.println("done " + (System.nanoTime() - begin) / 1_000_000);
    }

    // Writes `text` (UTF-8) to `channel` in `pieces` separate writes of about equal size.
    static void writeInPieces(FileChannel channel, String text, int pieces) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        for (int piece = 0; piece < pieces; piece++) {
            int from = bytes.length * piece / pieces, to = bytes.length * (piece + 1) / pieces;
            ByteBuffer buffer = ByteBuffer.wrap(bytes, from, to - from);
            while (buffer.hasRemaining()) channel.write(buffer);
        }
    }

    static long brokenLines(Path log) throws IOException {
        try (Stream<String> lines = Files.lines(log)) {
            return lines.filter(line -> !WHOLE_LINE.matcher(line).matches()).count();
        }
    }

    /* ---------------------------------------------------------------------------------
     * The pitfall: a FileLock does not guard the threads of one JVM.
     *
     * The operating system grants file locks to processes, not threads, so the JVM keeps
     * one table of the locks it holds. A second thread of the same JVM asking for an
     * overlapping lock does not wait for the first: it gets an
     * `OverlappingFileLockException` at once. Inside one JVM, threads need an ordinary
     * lock (`synchronized`, `ReentrantLock`) as well; across JVMs, the FileLock. Code
     * that is called from several threads AND several processes needs both, in that
     * order: first the thread lock, then the file lock.
     * --------------------------------------------------------------------------------- */
    static void fileLockIsPerJvm(Path scratch) throws IOException, InterruptedException {
        section("Pitfall: a FileLock is held by the whole JVM, not by a thread");
        Path file = scratch.resolve("locked.txt");
        try (FileChannel first = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
             FileChannel second = FileChannel.open(file, StandardOpenOption.WRITE);
             FileLock held = first.lock()) {
            log("holding a FileLock on " + file.getFileName() + ", valid " + held.isValid());
            Thread other = Thread.ofPlatform().name("other-thread").start(() -> {
                try (FileLock mine = second.lock()) {
                    log("got the lock too (this should not happen)");
                } catch (OverlappingFileLockException e) {
                    log("lock() on a second channel threw " + e.getClass().getSimpleName() + " at once: it did not wait");
                } catch (IOException e) {
                    log("lock() failed: " + e);
                }
            });
            joinOrGiveUp(other);
        }
    }

    /* ---------------------------------------------------------------------------------
     * Two more pitfalls: closing any channel unlocks, and locks are only advisory.
     *
     * On Linux and macOS the JVM takes a FileLock with fcntl(), a POSIX record lock, and
     * such a lock belongs to the process and the file, not to the channel: closing ANY
     * descriptor of the file releases every lock the process holds on it. So closing a
     * second channel to the file, one we never locked, frees the lock we hold through the
     * first, and `FileLock.isValid()` goes on saying true (FileLock's javadoc warns of
     * this). In a program where each call opens and closes its own channel, one thread's
     * close can unlock the line another thread is writing. The cure: close under the same
     * thread lock that guards the writes, or keep one channel open for the JVM's life.
     *
     * And a FileLock stops only those who ask for it: the locks are advisory. A process
     * that writes without calling lock() is not kept out at all. A child JVM shows both:
     * it tries to lock the file (tryLock, which does not wait), then appends a line
     * without any lock.
     * --------------------------------------------------------------------------------- */
    static void closingUnlocks(Path scratch) throws IOException, InterruptedException {
        section("Pitfall: closing any channel to a file releases the JVM's locks on it; locks are advisory");
        Path file = scratch.resolve("advisory.txt");
        try (FileChannel locked = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            FileLock held = locked.lock();
            log("we hold a FileLock through one channel; a child JVM tries the file:");
            askChildAboutTheLock(file);
            FileChannel.open(file, StandardOpenOption.READ).close(); // another channel, never locked: just closed
            log("we opened and closed a second channel to the file; our lock's isValid() still says " + held.isValid()
                    + "; the child tries again:");
            askChildAboutTheLock(file);
            held.release();
        }
        log("the file now holds " + Files.readAllLines(file).size() + " lines, written by a process that held no lock");
    }

    static void askChildAboutTheLock(Path file) throws IOException, InterruptedException {
        Process child = startChild("ignore-the-lock", file.toString());
        killAfter(child, Duration.ofSeconds(30));
        try (BufferedReader reply = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = reply.readLine()) != null; ) log("child: " + line);
        } finally {
            endChild(child);
        }
    }

    static void ignoreTheLock(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            try (FileLock mine = channel.tryLock()) {
                System.out.println(mine == null ? "tryLock() returned null: the parent holds the lock"
                        : "tryLock() got the lock: nobody holds it any more");
            }
            channel.write(ByteBuffer.wrap("written without asking for the lock\n".getBytes(StandardCharsets.UTF_8)));
            System.out.println("appended a line without asking for the lock: nothing stopped me");
        }
    }

    /* ---------------------------------------------------------------------------------
     * What each channel costs: messages per second.
     *
     * The in-process queue passes a reference; the pipe and the socket turn every
     * message into bytes, copy them into the kernel and out again, and parse them back.
     * Same small message [number, "tick"] for the two byte channels; for the queue, the
     * boxed number alone. The pipe and socket figures were measured in the sections
     * above, from the first message of the burst to the last. The child was a fresh JVM,
     * so part of its burst ran before the JIT had compiled the sending code: longer
     * bursts (the full run) give higher figures.
     * --------------------------------------------------------------------------------- */
    static void throughput() throws InterruptedException {
        section("Throughput: messages per second, on this machine");
        int count = quick ? 500_000 : 3_000_000;
        BlockingQueue<Integer> queue = new ArrayBlockingQueue<>(1024);
        Thread producer = Thread.ofPlatform().name("queue-producer").start(() -> {
            try {
                for (int i = 0; i < count; i++) queue.put(i);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        long begin = System.nanoTime();
        for (int i = 0; i < count; i++) {
            Integer item = queue.poll(10, TimeUnit.SECONDS);
            if (item == null || item != i) throw new IllegalStateException("queue lost message " + i);
        }
        double queueRate = count / ((System.nanoTime() - begin) / 1e9);
        joinOrGiveUp(producer);
        messagesPerSecond.put("in-process queue", queueRate);
        messagesPerSecond.entrySet().stream().sorted(Map.Entry.<String, Double>comparingByValue().reversed())
                .forEach(entry -> log(String.format("%-22s %,14.0f messages/s%s", entry.getKey(), entry.getValue(),
                        entry.getValue() == queueRate ? "" : String.format("  (%.0fx slower than the queue)", queueRate / entry.getValue()))));
    }

    static void deleteTree(Path folder) throws IOException {
        try (Stream<Path> paths = Files.walk(folder)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) Files.deleteIfExists(path);
        }
    }

    /* =================================================================================
     * Exercises. Replace each `throw new UnsupportedOperationException(...)` with your
     * answer, then run `./jbang check 06`. Stuck? `./jbang hint 6.1` (again for more).
     * ================================================================================= */

    // Exercise 6.1: a work queue with several producers and consumers, and a clean end.
    //
    // Start one thread per element of `producers`; producer i puts every item of
    // `producers.get(i)`, in order, into one queue that holds at most `capacity` items
    // (a producer waits while it is full). Start `consumers` threads that take items and
    // call `handle.accept(item)` for each. Make every thread with `threads.newThread(...)`
    // (then start it). Every item must be handled exactly once. Return once every item is
    // handled and every thread you started has ended: consumers cannot know by
    // themselves when the work is over, so tell each of them.
    static void workQueue(List<? extends Iterable<String>> producers, int consumers, int capacity,
                          Consumer<String> handle, ThreadFactory threads) throws InterruptedException {
        throw new UnsupportedOperationException("exercise 6.1 is not done yet: see its comment");
    }

    // Exercise 6.2: request and reply with a child JVM, over a Unix domain socket.
    //
    // Two sides, both yours. `askChild` binds a server socket (UNIX family) to a path in
    // a new temporary folder, starts a child JVM running this class with the arguments
    // `reply-server <that path>` (see `startChild` above), accepts its connection, then
    // for each request in order: sends it, and reads the child's reply. It returns the
    // replies in the order of the requests. Before returning it closes the connection,
    // waits until the child has ended (ending it if it does not), and deletes the socket
    // file and the folder. Requests can hold any characters, newlines included, and be up
    // to a megabyte long.
    //
    // `replyServer` is the child: it connects to `socket`, and answers each request with
    // `reply(request)` until the parent closes the connection; then it returns.
    static List<String> askChild(List<String> requests) throws IOException, InterruptedException {
        throw new UnsupportedOperationException("exercise 6.2 is not done yet: see its comment");
    }

    static void replyServer(Path socket) throws IOException {
        throw new UnsupportedOperationException("exercise 6.2 is not done yet: see its comment");
    }

    // The child's answer to one request (given: use it as it is).
    static String reply(String request) {
        return "pid " + ProcessHandle.current().pid() + " read " + request.length() + " chars: " + request;
    }

    // Exercise 6.3: whole lines from many threads in many processes.
    //
    // Append each of `lines` to `file` (create it if needed), each followed by '\n':
    // open it with `FileChannel.open(file, ...)` and write each line with
    // `writeInPieces(channel, line + "\n", PIECES_PER_LINE)`. Several threads of several
    // JVMs call `appendLines` on the same file at the same time, many short calls each: no
    // other caller may put bytes inside one of your lines, and no line may be lost or
    // overwritten. Keep the other processes out with a FileLock: a writer may crash in the
    // middle of a call, and its lock must not outlive it. (Hint: the sections on
    // FileLock's pitfalls.)
    static void appendLines(Path file, List<String> lines) throws IOException {
        throw new UnsupportedOperationException("exercise 6.3 is not done yet: see its comment");
    }
}

// See also: lesson 01 (threads, join, and where exceptions go), lesson 07
// (shared memory between processes), lesson 05 (starting and ending child JVMs), and
// lesson 03 for the locks used inside one JVM.
