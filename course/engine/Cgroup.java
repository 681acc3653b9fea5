package course.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A control group for one sandboxed job, where this machine lets us make one: the kernel then
 * counts its tasks (processes and threads) and its memory together, and can end them all.
 * Made under this JVM's own groups (cgroup v1's pids and memory hierarchies, or v2's unified
 * one), so the host's own accounting still covers it.
 */
public record Cgroup(List<Path> dirs, boolean limitsTasks) {

    public static final Cgroup NONE = new Cgroup(List.of(), false);

    /** Where new groups can go: our own group in each hierarchy that we may write to. */
    static List<Path> parents() {
        List<Path> parents = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/cgroup"))) {
                String[] parts = line.split(":", 3);
                if (parts.length < 3) continue;
                String controllers = parts[1];
                Path mount = controllers.isEmpty() ? Path.of("/sys/fs/cgroup/unified")
                        : Path.of("/sys/fs/cgroup", controllers.startsWith("name=") ? controllers.substring(5) : controllers);
                if (controllers.isEmpty() && !Files.isDirectory(mount)) mount = Path.of("/sys/fs/cgroup");
                Path own = Path.of(mount + parts[2]);
                boolean wanted = controllers.equals("pids") || controllers.equals("memory")
                        || controllers.isEmpty() && Files.isRegularFile(own.resolve("pids.max"));
                if (wanted && Files.isWritable(own)) parents.add(own);
            }
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        return probe(parents);
    }

    /** Keeps the parents in which a group can really be made and limited. */
    private static List<Path> probe(List<Path> parents) {
        List<Path> usable = new ArrayList<>();
        for (Path parent : parents) {
            Path test = parent.resolve("course-probe-" + ProcessHandle.current().pid());
            try {
                Files.createDirectory(test);
                usable.add(parent);
            } catch (IOException | RuntimeException e) {
                // not here
            } finally {
                try {
                    Files.deleteIfExists(test);
                } catch (IOException ignored) {
                    // an empty group; the kernel keeps it until it is removed
                }
            }
        }
        return usable;
    }

    static Cgroup create(List<Path> parents, String name, int tasks, long memory) {
        List<Path> dirs = new ArrayList<>();
        boolean limitsTasks = false;
        for (Path parent : parents) {
            Path dir = parent.resolve(name);
            try {
                Files.createDirectory(dir);
                dirs.add(dir);
                if (write(dir, "pids.max", Integer.toString(tasks))) limitsTasks = true;
                write(dir, "memory.limit_in_bytes", Long.toString(memory)); // v1
                write(dir, "memory.max", Long.toString(memory)); // v2
                write(dir, "memory.swap.max", "0");
            } catch (IOException | RuntimeException e) {
                // this hierarchy will not have us
            }
        }
        return new Cgroup(List.copyOf(dirs), limitsTasks);
    }

    private static boolean write(Path dir, String file, String value) {
        Path target = dir.resolve(file);
        if (!Files.exists(target)) return false;
        try {
            Files.writeString(target, value);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** The start of a command that moves itself into this group, then runs the rest. */
    List<String> enter() {
        if (dirs.isEmpty()) return List.of();
        List<String> start = new ArrayList<>(List.of("/bin/sh", "-c",
                "while [ \"$1\" != -- ]; do echo $$ > \"$1/cgroup.procs\" || exit 121; shift; done; shift; exec \"$@\"", "sh"));
        for (Path dir : dirs) start.add(dir.toString());
        start.add("--");
        return start;
    }

    /** True if the kernel killed something here for want of memory. */
    public boolean outOfMemory() {
        for (Path dir : dirs) {
            for (String file : List.of("memory.oom_control", "memory.events")) {
                try {
                    for (String line : Files.readAllLines(dir.resolve(file))) {
                        if (line.startsWith("oom_kill ") && !line.endsWith(" 0")) return true;
                    }
                } catch (IOException | RuntimeException absent) {
                    // not this kind of group
                }
            }
        }
        return false;
    }

    /** Ends every task still in the group and removes the group. */
    public void destroy() {
        for (Path dir : dirs) {
            for (int round = 0; round < 50; round++) {
                List<Long> pids = pids(dir);
                if (pids.isEmpty()) break;
                pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                try {
                    Thread.sleep(10);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    break;
                }
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException ignored) {
                // a task is still ending: the empty group stays until the next run's sweep
            }
        }
    }

    private static List<Long> pids(Path dir) {
        try {
            return Files.readAllLines(dir.resolve("cgroup.procs")).stream()
                    .filter(s -> !s.isBlank()).map(Long::parseLong).toList();
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}
