package course;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** Ending a process and everything it started. */
public final class Processes {

    private Processes() {}

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
}
