package course.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where submitted code runs: a bubblewrap sandbox (the one Flatpak uses) with its own user, PID,
 * IPC, UTS and network namespaces (only loopback), a private size-limited /tmp as its only
 * writable place, the JDK, the system libraries and the job's jars and inputs read-only, and
 * nothing else of the file system. When its first process ends, the kernel ends every process
 * in the PID namespace: nothing it started can outlive it.
 *
 * <p>The kernel limits it: a cgroup (when this machine lets us make one) caps its processes and
 * threads and its memory, heap and off-heap together; {@code prlimit} caps each process's data
 * (off-heap memory) and, where cgroups are not available, the number of processes.
 */
public final class Sandbox {

    /** Processes and threads, all of the job's JVMs together. */
    public static final int MAX_TASKS = 2048;
    public static final long MAX_MEMORY = 3L << 30;
    /** One process's heap, stacks and off-heap memory (RLIMIT_DATA). */
    public static final long MAX_DATA = 2L << 30;
    public static final long TMP_BYTES = 512L << 20;
    public static final long SHM_BYTES = 64L << 20;

    private static final AtomicInteger GROUPS = new AtomicInteger();
    private static volatile Sandbox detected;

    private final String bwrap;
    private final String prlimit;
    private final List<Path> cgroupParents;
    private final String missing;

    private Sandbox(String bwrap, String prlimit, List<Path> cgroupParents, String missing) {
        this.bwrap = bwrap;
        this.prlimit = prlimit;
        this.cgroupParents = cgroupParents;
        this.missing = missing;
    }

    /** The sandbox this machine can give, found once. */
    public static Sandbox detect() {
        Sandbox sandbox = detected;
        if (sandbox == null) detected = sandbox = probe();
        return sandbox;
    }

    /** A sandbox that is not one: for --no-sandbox, and where bubblewrap is missing. */
    public static Sandbox none(String why) {
        return new Sandbox(null, null, List.of(), why);
    }

    public boolean available() {
        return bwrap != null;
    }

    /** Why there is no sandbox, or what limits it has. */
    public String describe() {
        if (!available()) return "no sandbox: " + missing;
        return "bubblewrap sandbox; limits: " + (cgroupParents.isEmpty()
                ? "prlimit only (no cgroup can be made here: memory and process limits are per process)"
                : "cgroup (" + MAX_TASKS + " tasks, " + (MAX_MEMORY >> 20) + " MiB) and prlimit")
                + ", /tmp " + (TMP_BYTES >> 20) + " MiB";
    }

    private static Sandbox probe() {
        String bwrap = which("bwrap");
        if (bwrap == null) return none("bubblewrap (bwrap) is not installed (Debian/Ubuntu: apt-get install bubblewrap)");
        try {
            Process probe = new ProcessBuilder(bwrap, "--unshare-all", "--die-with-parent", "--ro-bind", "/", "/",
                    "--proc", "/proc", "--dev", "/dev", "true").redirectErrorStream(true).start();
            String said = new String(probe.getInputStream().readAllBytes()).strip();
            if (!probe.waitFor(10, TimeUnit.SECONDS) || probe.exitValue() != 0) {
                return none("bubblewrap cannot make namespaces here: " + said);
            }
        } catch (IOException | InterruptedException e) {
            return none("bubblewrap did not start: " + e.getMessage());
        }
        return new Sandbox(bwrap, which("prlimit"), Cgroup.parents(), null);
    }

    /** The program's file on the PATH, or null. */
    public static String which(String command) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir.isEmpty() ? "." : dir, command);
            if (Files.isExecutable(candidate)) return candidate.toString();
        }
        return null;
    }

    /** What the sandbox shows of the host: read-only paths, and the folder to start in. */
    public record Layout(List<Path> readOnly, Path workDir) {}

    /** A sandboxed command that is ready to start, and its cgroup (or none) to clean up after. */
    public record Wrapped(List<String> command, Cgroup cgroup) {}

    /** {@code command} as it runs in this sandbox; without one, as it is. */
    public Wrapped wrap(List<String> command, Layout layout) throws IOException {
        if (!available()) return new Wrapped(command, Cgroup.NONE);
        if (Processes.ending()) throw new IOException("the course tool is ending"); // no new cgroup for cleanUp to miss
        Cgroup cgroup = Cgroup.create(cgroupParents, "course-" + ProcessHandle.current().pid() + "-" + GROUPS.incrementAndGet(),
                MAX_TASKS, MAX_MEMORY);
        List<String> argv = new ArrayList<>(cgroup.enter());
        if (prlimit != null) {
            argv.addAll(List.of(prlimit, "--data=" + MAX_DATA, "--core=0"));
            if (!cgroup.limitsTasks() && !isRoot()) argv.add("--nproc=" + (ownProcesses() + MAX_TASKS));
            argv.add("--");
        }
        argv.addAll(List.of(bwrap, "--die-with-parent", "--new-session", "--unshare-user", "--uid", "1000", "--gid", "1000",
                "--unshare-pid", "--unshare-ipc", "--unshare-net", "--unshare-uts", "--unshare-cgroup-try",
                "--hostname", "sandbox", "--clearenv", "--setenv", "PATH", "/usr/bin:/bin", "--setenv", "HOME", "/tmp/home",
                "--setenv", "LANG", "C.UTF-8", "--setenv", "TMPDIR", "/tmp"));
        for (String system : List.of("/usr", "/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32")) mirror(argv,
                Path.of(system));
        argv.addAll(List.of("--proc", "/proc", "--dev", "/dev", "--size", Long.toString(SHM_BYTES), "--tmpfs", "/dev/shm",
                "--size", Long.toString(TMP_BYTES), "--tmpfs", "/tmp", "--dir", "/tmp/home"));
        for (Path path : Etc.files()) argv.addAll(List.of("--ro-bind", path.toString(), "/etc/" + path.getFileName()));
        for (Path path : layout.readOnly()) argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        argv.addAll(List.of("--dir", layout.workDir().toString(), "--chdir", layout.workDir().toString(), "--"));
        argv.addAll(command);
        return new Wrapped(argv, cgroup);
    }

    /** A system folder as it is on the host: a symlink stays a symlink, a folder is bound read-only. */
    private static void mirror(List<String> argv, Path path) throws IOException {
        if (Files.isSymbolicLink(path)) {
            argv.addAll(List.of("--symlink", Files.readSymbolicLink(path).toString(), path.toString()));
        } else if (Files.isDirectory(path)) {
            argv.addAll(List.of("--ro-bind", path.toString(), path.toString()));
        }
    }

    private static boolean isRoot() {
        return "root".equals(System.getProperty("user.name"));
    }

    private static long ownProcesses() {
        try (var all = ProcessHandle.allProcesses()) {
            String user = System.getProperty("user.name");
            return all.filter(p -> p.info().user().map(user::equals).orElse(false)).count();
        }
    }
}
