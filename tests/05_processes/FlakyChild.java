import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;

/**
 * The flaky child that exercise 5.3's tests supervise. {@code FlakyChild <dir> <plan>}:
 * attempt k (counted by the files {@code attempt-k} it creates in dir) does the k-th step
 * of the comma-separated plan ("ok" exits 0, "crash" exits 3, "hang" starts a grandchild,
 * then sleeps with a shutdown hook that ignores a polite destroy); past the plan, "ok".
 * Every process it starts is written to {@code dir/pids} as "pid startMillis role", so
 * the test can check that each one has ended. {@code FlakyChild sleep} is the grandchild.
 * Every process here ends by itself within a minute.
 */
class FlakyChild {

    static void main(String[] args) throws Exception {
        if (args[0].equals("sleep")) {
            Thread.sleep(Duration.ofSeconds(60));
            return;
        }
        Path dir = Path.of(args[0]);
        List<String> plan = List.of(args[1].split(","));
        int attempt = 1;
        while (true) {
            try {
                Files.createFile(dir.resolve("attempt-" + attempt));
                break;
            } catch (FileAlreadyExistsException e) {
                attempt++;
            }
        }
        String step = attempt <= plan.size() ? plan.get(attempt - 1) : "ok";
        switch (step) {
            case "ok" -> System.exit(0);
            case "crash" -> System.exit(3);
            case "hang" -> {
                record(dir, ProcessHandle.current(), "hung child of attempt " + attempt);
                Process grandchild = new ProcessBuilder(Jvm.command(FlakyChild.class, "sleep"))
                        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                        .redirectError(ProcessBuilder.Redirect.DISCARD)
                        .start();
                record(dir, grandchild.toHandle(), "grandchild started by attempt " + attempt);
                // A polite destroy() runs this hook, which never finishes: only a forcible
                // kill ends this process.
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        Thread.sleep(Duration.ofSeconds(60));
                    } catch (InterruptedException ignored) {
                        // ending anyway
                    }
                }));
                Thread.sleep(Duration.ofSeconds(60));
            }
            default -> throw new IllegalArgumentException("unknown step " + step);
        }
    }

    static void record(Path dir, ProcessHandle process, String role) throws IOException {
        long started = process.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(-1L);
        Files.writeString(dir.resolve("pids"), process.pid() + " " + started + " " + role + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
