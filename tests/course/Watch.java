package course;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.LocalTime;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * `./jbang watch [NN]`: re-checks a lesson each time its file is saved (debounced, one run
 * at a time), or each time Enter is pressed with --manual.
 */
public final class Watch {

    private Watch() {}

    /** Quiet time after the last change before a check starts: editors save in bursts. */
    static final long DEBOUNCE_MILLIS = 300;

    /** Something for the watch loop to do. */
    sealed interface Request permits Recheck, Quit, ShowHint {}

    record Recheck(Set<Manifest.Lesson> lessons, long savedAtNanos) implements Request {}

    record Quit() implements Request {}

    record ShowHint(String exercise) implements Request {}

    public static int run(Path root, Manifest manifest, List<Manifest.Lesson> selected, boolean manual) throws Exception {
        Path lessonsDir = root.resolve("lessons");
        Check.Console out = new Check.Console();
        out.heading(manual
                ? "Watching by hand: press Enter to check " + names(selected) + " again."
                : "Watching lessons/: save " + names(selected) + " and it is checked again.");
        out.line("  hint:  type  h 1.2  and Enter (or run ./jbang hint 1.2 in another terminal)");
        out.line("  quit:  type  q  and Enter, or press Ctrl+C");

        BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        Thread keyboard = Thread.ofPlatform().daemon().name("keyboard").start(() -> readKeys(selected, requests));
        Thread watcher = null;
        if (!manual) {
            WatchService service = FileSystems.getDefault().newWatchService();
            lessonsDir.register(service, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            watcher = Thread.ofPlatform().daemon().name("file-watcher").start(() -> watchFiles(service, manifest, selected, requests));
        }
        if (selected.size() == 1 || manual) requests.add(new Recheck(new LinkedHashSet<>(selected), 0));

        while (true) {
            Request request = requests.take();
            switch (request) {
                case Quit quit -> {
                    return 0;
                }
                case ShowHint hint -> Hint.show(root, manifest, hint.exercise(), false, false);
                case Recheck recheck -> {
                    // Changes that arrived meanwhile join this run: one run at a time.
                    Set<Manifest.Lesson> lessons = new LinkedHashSet<>(recheck.lessons());
                    long savedAt = recheck.savedAtNanos();
                    for (Request more; (more = requests.peek()) instanceof Recheck next; requests.remove()) {
                        lessons.addAll(next.lessons());
                    }
                    out.line("");
                    out.line("---- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " checking " + names(List.copyOf(lessons)) + " ----");
                    Check.run(root, manifest, List.copyOf(lessons), lessonsDir);
                    if (savedAt != 0) {
                        out.line(String.format("(%.1f s from saving the file to this verdict)", (System.nanoTime() - savedAt) / 1e9));
                    }
                    out.line(manual ? "Enter: check again   h 1.2: a hint   q: quit" : "Waiting for the next save...   h 1.2: a hint   q: quit");
                }
            }
        }
    }

    static String names(List<Manifest.Lesson> lessons) {
        return lessons.size() == 1 ? "lessons/" + lessons.get(0).fileName() : lessons.size() + " lessons";
    }

    static void readKeys(List<Manifest.Lesson> selected, BlockingQueue<Request> requests) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(System.in))) {
            for (String line; (line = in.readLine()) != null; ) {
                String command = line.strip();
                if (command.equals("q") || command.equals("quit")) break;
                if (command.startsWith("h ")) requests.add(new ShowHint(command.substring(2).strip()));
                else requests.add(new Recheck(new LinkedHashSet<>(selected), 0));
            }
        } catch (java.io.IOException ignored) {
            // no keyboard: only Ctrl+C quits
            return;
        }
        requests.add(new Quit());
    }

    static void watchFiles(WatchService service, Manifest manifest, List<Manifest.Lesson> selected, BlockingQueue<Request> requests) {
        try {
            while (true) {
                WatchKey key = service.take();
                long firstChange = System.nanoTime();
                Set<Manifest.Lesson> changed = new LinkedHashSet<>();
                collect(key, manifest, selected, changed);
                // Debounce: keep collecting until the folder has been quiet for a moment.
                for (WatchKey more; (more = service.poll(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
                    collect(more, manifest, selected, changed);
                }
                if (!changed.isEmpty()) requests.add(new Recheck(changed, firstChange));
            }
        } catch (InterruptedException | java.nio.file.ClosedWatchServiceException e) {
            // the watch is over
        }
    }

    static void collect(WatchKey key, Manifest manifest, List<Manifest.Lesson> selected, Set<Manifest.Lesson> changed) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (!(event.context() instanceof Path name)) continue;
            Optional<Manifest.Lesson> lesson = selected.stream().filter(l -> l.fileName().equals(name.toString())).findFirst();
            lesson.ifPresent(changed::add);
        }
        key.reset();
    }
}
