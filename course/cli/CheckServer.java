package course.cli;

import com.google.gson.Gson;
import course.engine.ChildJvm;
import course.engine.Engine;
import course.engine.JobModule;
import course.engine.OwnFolder;
import course.engine.Processes;
import course.engine.Sandbox;
import course.manifest.Manifest;
import course.report.Console;
import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.nio.ByteBuffer;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import jdk.net.ExtendedSocketOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * What makes {@code ./jbang check} answer in about a second: a server that keeps a lesson job's
 * JVM started and warm for the next check, as {@code watch} does (see {@code Standby}).
 *
 * <p>A check that finds no server runs as it always did, then leaves one behind: the course tool
 * in a JVM and a session of its own, which starts a standby in the sandbox for the lesson just
 * checked and listens on a Unix socket in a folder only this user can use. The next check sends it
 * what to check and prints what it answers; it runs the check as check does, with a warm tool and,
 * for the first lesson, the warm standby, and prepares the next standby. It reads the manifest, the
 * lessons and the tests again for every check, so an edit is seen at once; it serves one checkout,
 * one tool (the files of its class path), one JDK and one sandbox, named in its socket's name,
 * and another of any of these finds no server (the old one is told to quit by the new one, or
 * ends when idle for {@link #IDLE}). A check interrupted while the server runs it (Ctrl-C) ends
 * the server, and with it every process, cgroup and folder of that check. Only where the sandbox
 * is (Linux with bubblewrap), and never with COURSE_STANDBY=off.
 */
public final class CheckServer {

    private CheckServer() {}

    static final Duration IDLE = Duration.ofMinutes(15);
    /** Ends the output; the exit code follows it ("fallback": check here instead). */
    static final int END = 0;
    static final String FALLBACK = "fallback";

    /** What a check asks: its lessons, its --jobs, whether to colour; or that the server quit. */
    public record Request(List<String> lessons, int jobs, boolean colour, boolean quit) {
        /** As JSON, without a JSON library: a check asks before the tool's classes are loaded. */
        String json() {
            String ids = String.join(",", lessons.stream().map(id -> "\"" + id.replaceAll("[^A-Za-z0-9_]", "") + "\"")
                    .toList());
            return "{\"lessons\":[" + ids + "],\"jobs\":" + jobs + ",\"colour\":" + colour + ",\"quit\":" + quit + "}";
        }
    }

    /** Whether checks may use a server here: the sandbox, and no COURSE_STANDBY=off. */
    static boolean wanted(Sandbox sandbox) {
        return sandbox.available() && !"off".equals(System.getenv("COURSE_STANDBY"));
    }

    /**
     * {@code check [NN ...] [--jobs N]} answered by this checkout's server, before anything else of
     * the tool is loaded: its exit code, or null when there is none or the command is another (then
     * the tool runs it as always). Lesson ids are checked by the server; one it does not know
     * makes it answer "check here", and check then says what is wrong.
     */
    public static Integer served(String... args) {
        if (args.length == 0 || !args[0].equals("check") || "off".equals(System.getenv("COURSE_STANDBY"))
                || Sandbox.which("bwrap") == null) {
            return null;
        }
        List<String> lessons = new ArrayList<>();
        int jobs = 2;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--jobs") && i + 1 < args.length && args[i + 1].matches("[0-9]{1,3}")) {
                jobs = Integer.parseInt(args[++i]);
            } else if (args[i].matches("[A-Za-z0-9_]{1,40}")) {
                lessons.add(args[i]);
            } else {
                return null; // --help, --debug, anything else: the tool's own parser
            }
        }
        try {
            boolean colour = (System.console() != null && System.console().isTerminal()
                    || System.getenv("FORCE_COLOR") != null) && System.getenv("NO_COLOR") == null;
            return ask(Cli.root(), new Request(lessons, jobs, colour, false), System.out);
        } catch (RuntimeException noRoot) {
            return null;
        }
    }

    /**
     * The check, answered by this checkout's server, its output printed to {@code out}: its exit
     * code, or null when there is no server or it could not finish (then the caller checks itself).
     */
    public static Integer ask(Path root, Request request, PrintStream out) {
        try {
            Path socket = socket(root);
            if (socket == null || !Files.exists(socket)) return null;
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
                OutputStream toServer = Channels.newOutputStream(channel);
                toServer.write((request.json() + "\n").getBytes(StandardCharsets.UTF_8));
                toServer.flush();
                InputStream answer = new BufferedInputStream(Channels.newInputStream(channel));
                boolean printed = false;
                for (int b = answer.read(); b != -1; b = answer.read()) {
                    if (b == END) {
                        String code = Server.line(answer).trim();
                        out.flush();
                        return code.equals(FALLBACK) ? null : Integer.valueOf(code);
                    }
                    out.write(b);
                    printed |= b == '\n';
                }
                if (printed) out.println("(check's server ended before the check did: checking here instead)");
                return null;
            }
        } catch (IOException | RuntimeException unreachable) {
            return null; // no server (a stale socket, one that just quit): checked here, as without one
        }
    }

    /** Leaves a server behind for the next check, warm for {@code lesson}; nothing if one cannot start. */
    static void leaveBehind(Path root, String lesson) {
        try {
            Path socket = socket(root);
            if (socket == null || reachable(socket)) return;
            List<String> command = new ArrayList<>(List.of(ChildJvm.java().toString(), "-XX:+UseSerialGC",
                    "-XX:TieredStopAtLevel=1", "--enable-native-access=ALL-UNNAMED"));
            String main = System.getProperty("sun.java.command", "").split(" ")[0];
            if (!main.equals("Course") && !main.endsWith(".jar")) return; // not the tool's own command line
            if (main.endsWith(".jar")) command.addAll(List.of("-jar", main));
            else command.addAll(List.of("-cp", System.getProperty("java.class.path"), main));
            command.addAll(List.of("check-server", "--lesson", lesson));
            ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(sibling(socket, ".log").toFile()));
            builder.environment().put("COURSE_ROOT", root.toString());
            Processes.startDetached(builder);
        } catch (IOException | RuntimeException failed) {
            // the next check is a cold one, as without a server
        }
    }

    /** Whether a server listens there (it takes a connection that asks nothing for no request). */
    static boolean reachable(Path socket) {
        if (!Files.exists(socket)) return false;
        try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket))) {
            return true;
        } catch (IOException | RuntimeException refused) {
            return false;
        }
    }

    /**
     * Where this checkout's server for this tool, JDK and sandbox listens: a socket named by a
     * digest of them all (the sandbox as its program, bubblewrap's file); null
     * where there is no folder that only this user can use.
     */
    public static Path socket(Path root) throws IOException {
        Path folder = OwnFolder.of("course-check");
        if (folder == null) return null;
        List<String> parts = new ArrayList<>(List.of("1", System.getProperty("java.home"),
                System.getProperty("java.vm.version"), System.getProperty("user.name")));
        List<String> files = new ArrayList<>(List.of(System.getProperty("java.class.path").split(File.pathSeparator)));
        files.add(String.valueOf(Sandbox.which("bwrap")));
        for (String entry : files) {
            Path file = Path.of(entry);
            parts.add(entry + " " + (Files.exists(file) ? Files.size(file) + " " + Files.getLastModifiedTime(file) : "-"));
        }
        return folder.resolve(checkout(root) + "-" + digest(parts).substring(0, 16) + ".sock");
    }

    /** The part of a server's name that says which checkout it serves. */
    static String checkout(Path root) {
        return digest(List.of(root.toAbsolutePath().normalize().toString())).substring(0, 16);
    }

    static String digest(List<String> parts) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            for (String part : parts) {
                byte[] bytes = part.getBytes(StandardCharsets.UTF_8);
                sha.update((bytes.length + ":").getBytes(StandardCharsets.UTF_8));
                sha.update(bytes);
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The server's other files beside its socket: .lock, .log. */
    public static Path sibling(Path socket, String suffix) {
        String name = socket.getFileName().toString();
        return socket.resolveSibling(name.substring(0, name.length() - ".sock".length()) + suffix);
    }

    /** {@code check-server}: started by check, never by hand. */
    @Command(name = "check-server", hidden = true, mixinStandardHelpOptions = true,
            description = "check's server (started by check itself)")
    static final class Serve implements Callable<Integer> {

        @Option(names = "--lesson", required = true, description = "the lesson whose standby to start first")
        String lesson;

        @Override
        public Integer call() throws Exception {
            Path root = Cli.root();
            Sandbox sandbox = Sandbox.detect();
            Path socket = socket(root);
            if (socket == null || !wanted(sandbox)) return Cli.FAILED;
            try (FileChannel lockFile = FileChannel.open(sibling(socket, ".lock"), StandardOpenOption.CREATE,
                    StandardOpenOption.WRITE); FileLock lock = lockFile.tryLock()) {
                if (lock == null) return Cli.PASSED; // this checkout's server runs already
                // however it ends (idle, told to quit, a caller's Ctrl-C, a signal), it leaves no file
                Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().unstarted(() -> forget(socket)));
                Files.deleteIfExists(socket); // a server that was killed left it
                new Server(root, sandbox, socket).run(lesson);
            }
            return Cli.PASSED; // and the JVM ends (Course.main): nothing a check started can keep it
        }

        static void forget(Path socket) {
            for (String suffix : List.of(".sock", ".log", ".lock")) {
                try {
                    Files.deleteIfExists(sibling(socket, suffix));
                } catch (IOException ignored) {
                    // the next server's sweep deletes it
                }
            }
        }
    }


    /** The server: one check at a time, in the order they came. */
    static final class Server {
        private static final Gson GSON = new Gson();
        private final Path root;
        private final Path socket;
        private final Engine engine;
        private final AtomicLong lastUsed = new AtomicLong(System.nanoTime());
        private volatile boolean busy;

        Server(Path root, Sandbox sandbox, Path socket) throws IOException, InterruptedException {
            this.root = root;
            this.socket = socket;
            this.engine = Engine.start(root, sandbox).withStandby();
        }

        void run(String firstLesson) throws IOException {
            try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                server.bind(UnixDomainSocketAddress.of(socket));
                sweep();
                prepare(List.of(firstLesson));
                Thread.ofPlatform().daemon().name("idle").start(() -> closeWhenIdle(server));
                while (true) {
                    SocketChannel client;
                    try {
                        client = server.accept();
                    } catch (IOException closed) {
                        return; // idle, or told to quit
                    }
                    try (client) {
                        busy = true;
                        if (!answer(client)) return;
                    } catch (IOException | RuntimeException lost) {
                        // that check is checked by its caller instead
                    } finally {
                        busy = false;
                        lastUsed.set(System.nanoTime());
                    }
                }
            } finally {
                engine.standbys().close();
            }
        }

        /** Answers one connection; false when the server is to end. */
        boolean answer(SocketChannel client) throws IOException {
            if (!client.getOption(ExtendedSocketOptions.SO_PEERCRED).user().getName()
                    .equals(System.getProperty("user.name"))) {
                return true; // not this user's (the folder is owner-only: never expected)
            }
            InputStream in = Channels.newInputStream(client);
            Request request = GSON.fromJson(line(in), Request.class);
            if (request == null) return true; // a look whether we listen
            if (request.quit()) return false;
            List<String> lessons = request.lessons() == null ? List.of() : request.lessons();
            PrintStream out = new PrintStream(Channels.newOutputStream(client), true, StandardCharsets.UTF_8);
            Manifest manifest;
            List<Manifest.Lesson> selected;
            try {
                manifest = Manifest.load(root);
                selected = Cli.select(manifest, lessons);
            } catch (IOException | RuntimeException unusable) {
                finish(out, FALLBACK); // the caller says what is wrong (no such lesson, a broken course.yaml)
                return true;
            }
            if (!JobModule.prepare(root, engine.jvm()).equals(engine.module())) {
                finish(out, FALLBACK); // the job's runner changed: the caller checks with the new one, and starts a server
                return false;
            }
            System.out.printf("%s check %s: started%n", LocalTime.now(), String.join(" ", lessons));
            AtomicBoolean answered = new AtomicBoolean();
            Thread.ofPlatform().daemon().name("caller").start(() -> endIfCallerGoes(in, answered));
            int code;
            try {
                code = CheckCommand.run(engine, manifest, selected, root.resolve("lessons"), new Console(out, request.colour()),
                        request.jobs());
            } catch (Exception failed) {
                answered.set(true);
                finish(out, FALLBACK);
                return false;
            }
            answered.set(true);
            System.out.printf("%s check %s: exit %d; jobs run in a standby so far: %d%n", LocalTime.now(),
                    String.join(" ", lessons), code, engine.standbys().used());
            finish(out, Integer.toString(code));
            prepare(lessons.isEmpty() ? List.of(manifest.lessons().getFirst().id()) : lessons);
            return true;
        }

        static void finish(PrintStream out, String code) {
            out.write(END);
            out.print(code + "\n");
            out.flush();
        }

        /** The first named lesson's standby, for the next check. */
        void prepare(List<String> lessons) {
            try {
                Manifest manifest = Manifest.load(root);
                engine.standbys().prepare(engine, Cli.select(manifest, lessons).getFirst());
            } catch (IOException | RuntimeException unusable) {
                // the next check starts its job cold
            }
        }

        /** A caller that goes away (Ctrl-C) before its answer: its check ends, as it would have without us. */
        static void endIfCallerGoes(InputStream in, AtomicBoolean answered) {
            try {
                while (in.read() != -1) {
                    // a caller sends nothing after its request
                }
            } catch (IOException gone) {
                // as the end of its input
            }
            if (!answered.get()) System.exit(Cli.FAILED); // the shutdown hook ends the check's processes
        }

        void closeWhenIdle(ServerSocketChannel server) {
            while (server.isOpen()) {
                try {
                    Thread.sleep(1000);
                } catch (InterruptedException e) {
                    return;
                }
                boolean idle = !busy && System.nanoTime() - lastUsed.get() > idle().toNanos();
                if (idle || !Files.isRegularFile(root.resolve(Manifest.FILE)) || !Files.exists(socket)) {
                    try {
                        server.close();
                    } catch (IOException ignored) {
                        // closing is all we wanted
                    }
                }
            }
        }

        static Duration idle() {
            String seconds = System.getenv("COURSE_CHECK_SERVER_IDLE_SECONDS");
            return seconds != null && seconds.matches("[0-9]{1,6}") ? Duration.ofSeconds(Long.parseLong(seconds)) : IDLE;
        }

        /**
         * Tells this checkout's servers for another tool, JDK or sandbox to quit (they would never be
         * asked again), and deletes what servers that were killed left (a lock that no one holds).
         */
        void sweep() {
            String ours = checkout(root) + "-";
            try (var files = Files.list(socket.getParent())) {
                for (Path lock : files.filter(f -> f.toString().endsWith(".lock")).toList()) {
                    Path other = lock.resolveSibling(lock.getFileName().toString().replace(".lock", ".sock"));
                    if (other.equals(socket)) continue;
                    try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE);
                         FileLock free = channel.tryLock()) {
                        if (free != null) {
                            for (String suffix : List.of(".sock", ".log", ".lock")) Files.deleteIfExists(sibling(other, suffix));
                        } else if (lock.getFileName().toString().startsWith(ours)) {
                            quit(other);
                        }
                    } catch (IOException | RuntimeException gone) {
                        // ended meanwhile
                    }
                }
            } catch (IOException ignored) {
                // they end when idle
            }
        }

        static void quit(Path server) {
            try (SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(server))) {
                channel.write(ByteBuffer.wrap((new Request(List.of(), 0, false, true).json() + "\n")
                        .getBytes(StandardCharsets.UTF_8)));
            } catch (IOException gone) {
                // it ends by itself
            }
        }

        /** One line, read a byte at a time: nothing after it is taken from the connection. */
        static String line(InputStream in) throws IOException {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            for (int b = in.read(); b != -1 && b != '\n'; b = in.read()) {
                if (bytes.size() > 64 * 1024) throw new IOException("a request too long");
                bytes.write(b);
            }
            return bytes.toString(StandardCharsets.UTF_8);
        }
    }
}
