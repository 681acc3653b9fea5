package course.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A control group for one sandboxed job, where this machine lets us make one: the kernel then
 * counts its tasks (processes and threads) and its memory together, and can end them all.
 * Made under this JVM's own groups (cgroup v1's pids and memory hierarchies, or v2's unified
 * one), so the host's own accounting still covers it.
 */
public record Cgroup(List<Path> dirs, boolean limitsTasks) {

    public static final Cgroup NONE = new Cgroup(List.of(), false);

    /** Groups made and not destroyed yet: destroyed as this JVM ends (see {@link Processes}). */
    private static final Set<Cgroup> LIVE = ConcurrentHashMap.newKeySet();

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
        List<Path> usable = probe(parents);
        usable.forEach(Cgroup::sweep);
        return usable;
    }

    /**
     * Removes the empty groups that a course tool which has ended left in {@code parent} (one killed
     * before it could remove them): named {@code course-PID-N}, with no process PID running now.
     */
    static void sweep(Path parent) {
        try (var groups = Files.newDirectoryStream(parent, "course-*")) {
            for (Path group : groups) {
                Matcher name = OURS.matcher(group.getFileName().toString());
                if (!name.matches() || ProcessHandle.of(Long.parseLong(name.group(1))).isPresent()) continue;
                // a minute old at least: not one that a tool in another pid namespace has just made
                if (Files.getLastModifiedTime(group).toMillis() > System.currentTimeMillis() - 60_000) continue;
                try {
                    Files.deleteIfExists(group); // the kernel refuses while a task is in it
                } catch (IOException | RuntimeException busy) {
                    // not empty, or not ours to remove
                }
            }
        } catch (IOException | RuntimeException e) {
            // nothing to sweep here
        }
    }

    private static final Pattern OURS = Pattern.compile("course-(?:probe-)?(\\d+)(?:-\\d+)?");

    /** Destroys every group this JVM made and has not destroyed yet. */
    static void destroyAll() {
        List.copyOf(LIVE).forEach(Cgroup::destroy);
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
        Cgroup made = new Cgroup(List.copyOf(dirs), limitsTasks);
        if (!dirs.isEmpty()) LIVE.add(made);
        return made;
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

    /**
     * Ends every task still in the group and removes the group. It stays {@link #LIVE} until it is
     * gone: a destroy cut short as the JVM ends (Ctrl-C) is finished by the shutdown hook.
     */
    public void destroy() {
        for (Path dir : dirs) {
            for (int round = 0; round < 50 && Files.exists(dir); round++) {
                pids(dir).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));
                try {
                    Files.deleteIfExists(dir); // the kernel refuses while a task is in it or still ending
                } catch (IOException busy) {
                    try {
                        Thread.sleep(10);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        break;
                    }
                }
            }
        }
        if (dirs.stream().noneMatch(Files::exists)) LIVE.remove(this); // else the next run's sweep removes it
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
