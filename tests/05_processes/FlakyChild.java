import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The flaky child that exercise 5.3's tests supervise. {@code FlakyChild <dir> <plan>}:
 * attempt k (counted by the files {@code attempt-k} it creates in dir) does the k-th step
 * of the comma-separated plan; past the plan, "ok".
 * <ul>
 * <li>"ok" writes {@code lived-k} (how long this JVM had run, in ms) and exits 0;</li>
 * <li>"crash" exits 3;</li>
 * <li>"orphan" starts a sleeping grandchild that shares its standard output and error,
 *     then exits 3 at once: a supervisor that reads the child's output to its end waits
 *     for the grandchild (a minute), not for the child;</li>
 * <li>"hang" holds 128 MiB (so that a kill takes the kernel a while to finish), starts a
 *     chain of three processes below itself (child, grandchild, great-grandchild: the
 *     deepest is a grandchild of the supervisor's grandchild), writes {@code ready-k} once
 *     all are up, then sleeps with a shutdown hook that ignores a polite destroy.</li>
 * </ul>
 * Every process a step starts is written to {@code dir/pids} as "pid startMillis role".
 * Attempt k first checks the processes of the attempts before it: a supervisor must have
 * ended them, and waited for its own child, before it starts again; what it finds is
 * written to {@code dir/leftovers}. Every process here ends by itself within a minute.
 */
class FlakyChild {

    /** The chain below a hung child, as a shell script: $1 is the depth of this link. */
    static final String CHAIN = """
            if [ "$1" -ge 4 ]; then echo up; exec sleep 60; fi
            sh -c "$CHAIN" sh $(($1 + 1)) &
            wait
            """;
    static final int DEEPEST = 4;
    static byte[] ballast;

    static void main(String[] args) throws Exception {
        switch (args[0]) {
            case "calibrate" -> {
                return;
            }
            case "sleep" -> {
                Thread.sleep(Duration.ofSeconds(args.length > 1 ? Long.parseLong(args[1]) : 60));
                return;
            }
            case "chain" -> {
                chainLink(Integer.parseInt(args[1]));
                return;
            }
            default -> { }
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
        checkEarlierAttempts(dir, "leftovers");
        String step = attempt <= plan.size() ? plan.get(attempt - 1) : "ok";
        switch (step) {
            case "ok" -> {
                Files.writeString(dir.resolve("lived-" + attempt), Long.toString(livedMillis()));
                System.exit(0);
            }
            case "crash" -> System.exit(3);
            case "orphan" -> {
                // It sleeps longer than any test waits, so reading to the end of the output cannot pass.
                Process grandchild = new ProcessBuilder(Jvm.command(FlakyChild.class, "sleep", "600")).inheritIO().start();
                record(dir, grandchild.toHandle(), "orphan left by the crashed attempt " + attempt);
                System.exit(3);
            }
            case "hang" -> {
                record(dir, ProcessHandle.current(), "hung child of attempt " + attempt);
                ballast = new byte[128 << 20]; // zeroed, so every page is touched
                Process chain = startChain(2);
                try (BufferedReader out = chain.inputReader(StandardCharsets.UTF_8)) {
                    if (!"up".equals(out.readLine())) throw new IllegalStateException("the chain did not start");
                }
                for (ProcessHandle below : ProcessHandle.current().descendants().toList()) {
                    record(dir, below, "process at depth " + depth(below) + " below the supervisor (started by the "
                            + "hung attempt " + attempt + ")");
                }
                Files.writeString(dir.resolve("ready-" + attempt), Long.toString(livedMillis()));
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

    // The chain: shell processes where there is a shell (they start in a millisecond, so the
    // tree is up long before any limit), JVMs elsewhere. Its deepest process prints "up".
    static Process startChain(int depth) throws IOException {
        if (Files.isExecutable(Path.of("/bin/sh"))) {
            ProcessBuilder shell = new ProcessBuilder("/bin/sh", "-c", CHAIN, "sh", Integer.toString(depth));
            shell.environment().put("CHAIN", CHAIN);
            return shell.redirectError(ProcessBuilder.Redirect.DISCARD).start();
        }
        return new ProcessBuilder(Jvm.command(FlakyChild.class, "chain", Integer.toString(depth)))
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
    }

    static void chainLink(int depth) throws Exception {
        if (depth >= DEEPEST) {
            System.out.println("up");
            System.out.flush();
        } else {
            Process next = startChain(depth + 1);
            try (BufferedReader out = next.inputReader(StandardCharsets.UTF_8)) {
                System.out.println(out.readLine());
                System.out.flush();
            }
        }
        Thread.sleep(Duration.ofSeconds(60));
    }

    // How far below the supervisor: the hung child is at depth 1.
    static int depth(ProcessHandle process) {
        int depth = 1;
        for (Optional<ProcessHandle> up = process.parent(); up.isPresent() && up.get().pid() != ProcessHandle.current().pid();
                up = up.get().parent()) {
            depth++;
        }
        return depth + 1;
    }

    static long livedMillis() {
        Instant started = ProcessHandle.current().info().startInstant().orElse(Instant.now());
        return Duration.between(started, Instant.now()).toMillis();
    }

    static void record(Path dir, ProcessHandle process, String role) throws IOException {
        long started = process.info().startInstant().map(Instant::toEpochMilli).orElse(-1L);
        Files.writeString(dir.resolve("pids"), process.pid() + " " + started + " " + role + "\n",
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    // Every process recorded so far belongs to an earlier attempt, which the supervisor
    // has ended: its own child must be gone (waited for), the rest killed (a kill that the
    // kernel is still carrying out is fine). Orphans of a crashed child are nobody's task.
    static void checkEarlierAttempts(Path dir, String report) throws IOException {
        Path pids = dir.resolve("pids");
        if (!Files.exists(pids)) return;
        for (String line : Files.readAllLines(pids)) {
            String[] parts = line.split(" ", 3);
            long pid = Long.parseLong(parts[0]), startMillis = Long.parseLong(parts[1]);
            String role = parts[2];
            if (role.startsWith("orphan")) continue;
            Optional<ProcessHandle> handle = same(pid, startMillis);
            String left = null;
            if (role.startsWith("hung child") && handle.isPresent()) {
                left = "still " + (dying(handle.get()) ? "ending, not yet waited for" : "running");
            } else if (handle.isPresent() && running(handle.get()) && !dying(handle.get())) {
                left = "still running, never killed";
            }
            if (left != null) {
                Files.writeString(dir.resolve(report), pid + " " + role + ": " + left + "\n",
                        StandardOpenOption.CREATE, StandardOpenOption.APPEND);
            }
        }
    }

    /** The process with this pid, if it exists (a zombie included) and is the one recorded. */
    static Optional<ProcessHandle> same(long pid, long startMillis) {
        return ProcessHandle.of(pid).filter(handle -> startMillis < 0
                || handle.info().startInstant().map(Instant::toEpochMilli).orElse(startMillis) == startMillis);
    }

    /**
     * Alive and not a zombie. A killed process stays in the process table until its parent
     * reaps it; for an orphan that parent is init or a supervisor, so isAlive() alone would
     * still say true.
     */
    static boolean running(ProcessHandle handle) {
        if (!handle.isAlive()) return false;
        List<String> stat = stat(handle);
        return stat.isEmpty() ? handle.isAlive() : !stat.get(2).equals("Z");
    }

    /**
     * Killed, and the kernel is still ending it: SIGKILL pending (SigPnd/ShdPnd bit 9 in
     * /proc/PID/status) or already exiting (PF_EXITING, 0x4, in the flags of /proc/PID/stat).
     */
    static boolean dying(ProcessHandle handle) {
        try {
            List<String> stat = stat(handle);
            if (!stat.isEmpty() && (Long.parseLong(stat.get(8)) & 0x4) != 0) return true;
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(handle.pid()), "status"))) {
                if ((line.startsWith("SigPnd:") || line.startsWith("ShdPnd:"))
                        && (Long.parseUnsignedLong(line.substring(7).strip(), 16) & (1L << 8)) != 0) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // gone, or no /proc here
        }
        return false;
    }

    // The fields of /proc/PID/stat, the name (field 2) kept whole; empty if unreadable.
    private static List<String> stat(ProcessHandle handle) {
        try {
            String text = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            int close = text.lastIndexOf(')');
            List<String> fields = new ArrayList<>();
            fields.add(text.substring(0, text.indexOf(' ')));
            fields.add(text.substring(text.indexOf('(') + 1, close));
            fields.addAll(List.of(text.substring(close + 2).strip().split(" ")));
            return fields;
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
