import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Child JVMs for tests: the same java and class path as this JVM (which holds the lesson's
 * classes), a time limit, and nothing left running afterwards.
 */
final class Jvm {

    private Jvm() {}

    record Result(int exitCode, boolean timedOut, String output, long millis) {}

    /** The command that runs {@code main} with {@code args} in a new JVM. */
    static List<String> command(Class<?> main, String... args) {
        return command(List.of(), main, args);
    }

    /** The same, with options for the new JVM itself (e.g. "-XX:+EnableDynamicAgentLoading"). */
    static List<String> command(List<String> jvmOptions, Class<?> main, String... args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx256m");
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(main.getName());
        command.addAll(List.of(args));
        return command;
    }

    /** Runs {@code main} in a child JVM, waits at most {@code limit}, then ends it and all it started. */
    static Result run(Duration limit, Class<?> main, String... args) throws IOException, InterruptedException {
        return run(limit, List.of(), main, args);
    }

    /** The same, with options for the new JVM itself. */
    static Result run(Duration limit, List<String> jvmOptions, Class<?> main, String... args)
            throws IOException, InterruptedException {
        long begin = System.nanoTime();
        Process process = new ProcessBuilder(command(jvmOptions, main, args)).redirectErrorStream(true).start();
        ByteArrayOutputStream output = new ByteArrayOutputStream();
        Thread reader = Thread.ofPlatform().daemon().start(() -> copy(process.getInputStream(), output));
        boolean ended = process.waitFor(limit.toMillis(), TimeUnit.MILLISECONDS);
        end(process);
        reader.join(2_000);
        long millis = (System.nanoTime() - begin) / 1_000_000;
        synchronized (output) {
            return new Result(ended ? process.exitValue() : -1, !ended, output.toString(StandardCharsets.UTF_8), millis);
        }
    }

    /** Ends a process and its descendants, and waits for it to be gone. */
    static void end(Process process) throws InterruptedException {
        List<ProcessHandle> descendants = process.descendants().toList();
        process.destroyForcibly();
        descendants.forEach(ProcessHandle::destroyForcibly);
        process.waitFor(5, TimeUnit.SECONDS);
    }

    private static void copy(InputStream in, ByteArrayOutputStream out) {
        byte[] buffer = new byte[8192];
        try (in) {
            for (int n; (n = in.read(buffer)) > 0; ) {
                synchronized (out) {
                    if (out.size() < 1 << 20) out.write(buffer, 0, n);
                }
            }
        } catch (IOException ignored) {
            // the process ended
        }
    }
}
