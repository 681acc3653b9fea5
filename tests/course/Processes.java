package course;

import java.io.IOException;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Starting processes so that none is left behind. On Linux this JVM becomes a "child
 * subreaper": a process whose parent dies (a grandchild started by submitted code, whose
 * JVM was killed or halted) is re-parented to us instead of to init, so we can still see
 * it and end it.
 */
public final class Processes {

    private Processes() {}

    /** Processes this JVM started on purpose and still waits for. */
    private static final Set<ProcessHandle> ACTIVE = ConcurrentHashMap.newKeySet();
    private static final boolean SUBREAPER = becomeSubreaper();
    private static final MethodHandle WAITPID = SUBREAPER ? waitpid() : null;

    static {
        // As init would: an orphan that has ended is reaped at once, so it stops looking alive.
        if (SUBREAPER) {
            Thread.ofPlatform().daemon().name("orphan-reaper").start(() -> {
                while (true) {
                    reapEndedOrphans();
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
            Process process = builder.start();
            ACTIVE.add(process.toHandle());
            return process;
        }
    }

    /** The process has been waited for: what it left behind is an orphan from now on. */
    public static void done(Process process) {
        ACTIVE.remove(process.toHandle());
    }

    /** Ends {@code process} and all its descendants, children first, and waits briefly for them. */
    public static void endTree(ProcessHandle process) {
        List<ProcessHandle> tree = process.descendants().toList();
        process.destroyForcibly();
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle handle : tree) {
            try {
                handle.onExit().get(2, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // it was told to end; nothing more to do
            }
        }
    }

    /**
     * Ends every child of this JVM that it did not start on purpose (orphans re-parented to
     * us) and their descendants; returns how many processes were still running.
     */
    public static int sweepOrphans() {
        int ended = 0;
        synchronized (ACTIVE) {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (ACTIVE.contains(child)) continue;
                for (ProcessHandle handle : child.descendants().toList()) {
                    if (isRunning(handle)) ended++;
                    handle.destroyForcibly();
                }
                if (isRunning(child)) ended++;
                child.destroyForcibly();
            }
        }
        reapZombies();
        return ended;
    }

    /** Alive and not a zombie (a zombie has ended and only waits to be reaped). */
    public static boolean isRunning(ProcessHandle handle) {
        if (!handle.isAlive()) return false;
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(handle.pid()), "stat"));
            return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
        } catch (IOException | RuntimeException e) {
            return handle.isAlive();
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

    private static void reapEndedOrphans() {
        synchronized (ACTIVE) {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                if (ACTIVE.contains(child) || isRunning(child)) continue;
                waitFor(child.pid(), WNOHANG);
            }
        }
    }

    private static void waitFor(long pid, int options) {
        try {
            int ignored = (int) WAITPID.invokeExact((int) pid, MemorySegment.NULL, options);
        } catch (Throwable e) {
            // best effort: a zombie holds no resources but its pid, until we exit
        }
    }

    private static MethodHandle waitpid() {
        Linker linker = Linker.nativeLinker();
        return linker.downcallHandle(linker.defaultLookup().find("waitpid").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
    }

    /** Reaps ended orphans (never our own processes, which Java itself waits for). */
    private static void reapZombies() {
        if (!SUBREAPER) return;
        synchronized (ACTIVE) {
            for (ProcessHandle child : ProcessHandle.current().children().toList()) {
                // It was sent SIGKILL (or has ended already): waiting for it is short.
                if (!ACTIVE.contains(child)) waitFor(child.pid(), 0);
            }
        }
    }

    static boolean subreaper() {
        return SUBREAPER;
    }

}
