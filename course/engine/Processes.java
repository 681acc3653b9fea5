package course.engine;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Starting processes so that none is left behind, for work that runs outside a sandbox (a
 * sandbox ends everything it started by itself). On Linux this JVM becomes a "child
 * subreaper": a process whose parent dies is re-parented to us instead of to init, so we can
 * still see it and end it.
 */
public final class Processes {

    private Processes() {}

    /** Processes this JVM started on purpose and still waits for. */
    private static final Set<ProcessHandle> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final MethodHandle WAITPID = becomeSubreaper() ? waitpid() : null;

    /** Our temporary folders that are not deleted yet: see {@link #tempFolder}. */
    private static final Set<Path> FOLDERS = ConcurrentHashMap.newKeySet();

    static {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("course-cleanup").unstarted(Processes::cleanUp));
    }

    static {
        // As init would: an orphan that has ended is reaped at once, so it stops looking alive.
        if (WAITPID != null) {
            Thread.ofPlatform().daemon().name("orphan-reaper").start(() -> {
                while (true) {
                    reap();
                    try {
                        Thread.sleep(100);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            });
        }
    }

    /** Starts a process and remembers it as ours until {@link #done}. */
    public static Process start(ProcessBuilder builder) throws IOException {
        synchronized (ACTIVE) {
            if (ending) throw new IOException("the course tool is ending");
            Process process = builder.start();
            ACTIVE.add(process.toHandle());
            return process;
        }
    }

    /**
     * Starts a process as the leader of a session of its own (Linux's {@code setsid}), so that
     * what it leaves behind can be told from what other processes of ours leave: see
     * {@link #sweepOrphans(ProcessHandle)}.
     */
    public static Process startOwnSession(ProcessBuilder builder) throws IOException {
        if (WAITPID != null && SETSID != null) {
            List<String> command = new java.util.ArrayList<>(builder.command());
            command.addFirst(SETSID);
            builder.command(command);
        }
        return start(builder);
    }

    /**
     * Starts a process that is to outlive this JVM (check's server): in a session of its own, so that
     * Ctrl-C in this terminal does not reach it, and not ours to end when we exit.
     */
    public static Process startDetached(ProcessBuilder builder) throws IOException {
        if (SETSID != null) {
            List<String> command = new java.util.ArrayList<>(builder.command());
            command.addFirst(SETSID);
            builder.command(command);
        }
        synchronized (ACTIVE) {
            if (ending) throw new IOException("the course tool is ending");
            return builder.start();
        }
    }

    private static final String SETSID = Stream.of("/usr/bin/setsid", "/bin/setsid")
            .filter(file -> Files.isExecutable(Path.of(file))).findFirst().orElse(null);

    /** The process has been waited for: what it left behind is an orphan from now on. */
    public static void done(Process process) {
        ACTIVE.remove(process.toHandle());
    }

    /** Ends {@code process} and all its descendants, and waits briefly for them. */
    public static void endTree(ProcessHandle process) {
        List<ProcessHandle> tree = new java.util.ArrayList<>(process.descendants().toList());
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        tree.add(process);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // it was told to end; nothing more to do
            }
        }
    }

    /**
     * Ends the orphans re-parented to us that {@code owner} (started with {@link #startOwnSession})
     * left behind, known by their session, and their descendants; returns how many were running.
     * An orphan of another session may belong to a process of ours that still runs (two jobs,
     * two lesson runs at once): it is left alone until none of ours runs, and then ended too,
     * uncounted (so is one that started a session of its own).
     */
    public static int sweepOrphans(ProcessHandle owner) {
        int ended = 0;
        List<ProcessHandle> killed = new java.util.ArrayList<>();
        synchronized (ACTIVE) {
            boolean othersRunning = ACTIVE.stream().anyMatch(ProcessHandle::isAlive);
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (ACTIVE.contains(child)) continue;
                boolean owners = session(child) == owner.pid();
                if (!owners && othersRunning) continue;
                for (ProcessHandle handle : child.descendants().toList()) {
                    if (owners && isRunning(handle)) ended++;
                    handle.destroyForcibly();
                }
                if (owners && isRunning(child)) ended++;
                child.destroyForcibly();
                killed.add(child);
            }
            for (ProcessHandle child : killed) waitFor(child);
        }
        return ended;
    }

    /** The session id of /proc/PID/stat, or -1 when it cannot be read. */
    static long session(ProcessHandle handle) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return Long.parseLong(fields[3]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * Whether the job's JVM ({@code process} itself, or in a sandbox the first {@code java} among its
     * descendants) is stopped by a signal (state T): nothing in it runs until somebody continues it.
     */
    public static boolean jvmStopped(ProcessHandle process) {
        ProcessHandle jvm = Stream.concat(Stream.of(process), process.descendants())
                .filter(h -> h.info().command().map(c -> c.endsWith("/java")).orElse(false))
                .findFirst().orElse(null);
        return jvm != null && state(jvm) == 'T';
    }

    /** The state letter of /proc/PID/stat (R, S, D, T, Z...), or '?' when it cannot be read. */
    static char state(ProcessHandle handle) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2);
        } catch (IOException | RuntimeException e) {
            return '?';
        }
    }

    /** Alive and not a zombie (a zombie has ended and only waits to be reaped). */
    public static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) return false;
        char state = state(handle);
        return state == '?' ? handle.isAlive() : state != 'Z';
    }

    /**
     * A new folder in java.io.tmpdir that is ours alone until {@link #deleteTree} deletes it; if this
     * JVM ends first (Ctrl-C, a signal, an error), it is deleted as it ends.
     */
    public static Path tempFolder(String prefix) throws IOException {
        synchronized (ACTIVE) {
            if (ending) throw new IOException("the course tool is ending");
            Path folder = Files.createTempDirectory(prefix);
            FOLDERS.add(folder);
            return folder;
        }
    }

    /** Set as this JVM ends: from then on nothing new is started or made (a job's retry, say). */
    private static volatile boolean ending;

    public static boolean ending() {
        return ending;
    }

    /**
     * As this JVM ends, what an interrupted command (Ctrl-C, a signal) would otherwise leave: the
     * processes we started and still wait for, with their descendants; the cgroups of their
     * sandboxes; our temporary folders. After a command that ended normally there is nothing left to do.
     */
    static void cleanUp() {
        List<ProcessHandle> started;
        synchronized (ACTIVE) {
            ending = true;
            started = List.copyOf(ACTIVE);
        }
        started.forEach(Processes::endTree);
        Cgroup.destroyAll();
        List.copyOf(FOLDERS).forEach(Processes::deleteTree);
    }

    /** Deletes a folder tree as far as it can: a file it cannot delete is left, never thrown. */
    public static void deleteTree(Path root) {
        if (root == null) return;
        try {
            walkAndDelete(root);
        } finally {
            // forgotten once gone: a deletion cut short as the JVM ends is finished by cleanUp
            if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) FOLDERS.remove(root);
        }
    }

    private static void walkAndDelete(Path root) {
        if (!Files.exists(root, java.nio.file.LinkOption.NOFOLLOW_LINKS)) return;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException error) {
                    file.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException error) {
                    dir.toFile().delete();
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | RuntimeException ignored) {
            // best effort: a temporary folder
        }
    }

    // --- Linux only, through the FFM API; elsewhere these do nothing. ----------------------

    private static final int PR_SET_CHILD_SUBREAPER = 36;
    private static final int WNOHANG = 1;

    private static boolean becomeSubreaper() {
        try {
            Linker linker = Linker.nativeLinker();
            MethodHandle prctl = linker.downcallHandle(linker.defaultLookup().find("prctl").orElseThrow(),
                    FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG,
                            ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG),
                    Linker.Option.firstVariadicArg(1));
            return (int) prctl.invokeExact(PR_SET_CHILD_SUBREAPER, 1L, 0L, 0L, 0L) == 0;
        } catch (Throwable e) {
            return false;
        }
    }

    private static MethodHandle waitpid() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("waitpid").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** Reaps ended orphans (never our own processes, which Java itself waits for). */
    private static void reap() {
        if (WAITPID == null) return;
        synchronized (ACTIVE) {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (ACTIVE.contains(child) || isRunning(child)) continue;
                waitpid(child, WNOHANG);
            }
        }
    }

    /** Waits for an orphan we have killed, so that it is gone, not a zombie, when we return. */
    private static void waitFor(ProcessHandle orphan) {
        if (WAITPID != null) waitpid(orphan, 0);
    }

    private static void waitpid(ProcessHandle child, int options) {
        try {
            int ignored = (int) WAITPID.invokeExact((int) child.pid(), MemorySegment.NULL, options);
        } catch (Throwable e) {
            // best effort: a zombie holds no resources but its pid, until we exit
        }
    }
}
