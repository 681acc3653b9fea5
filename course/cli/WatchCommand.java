package course.cli;

import course.engine.Engine;
import course.engine.Sandbox;
import course.manifest.Manifest;
import course.report.Console;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.file.ClosedWatchServiceException;
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
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Callable;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code ./jbang watch [NN]}: checks a lesson again each time its file is saved (debounced, one
 * check at a time), or each time Enter is pressed with --manual. Works without a terminal too
 * (from a script or an IDE's run configuration): then only saving and Ctrl+C count.
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
        description = "Check a lesson again each time you save it (or press Enter, with --manual).")
public final class WatchCommand implements Callable<Integer> {

    /** Quiet time after the last change before a check starts: editors save in bursts. */
    static final long DEBOUNCE_MILLIS = 150;

    @Parameters(arity = "0..*", paramLabel = "NN", description = "lessons to watch (default: all)")
    List<String> lessons;

    @Option(names = "--manual", description = "check when Enter is pressed, for file systems where watching fails")
    boolean manual;

    /** Something for the watch loop to do. */
    sealed interface Request permits Recheck, Quit, ShowHint {}

    record Recheck(Set<Manifest.Lesson> lessons, long savedAtNanos) implements Request {}

    record Quit() implements Request {}

    record ShowHint(String exercise) implements Request {}

    @Override
    public Integer call() throws Exception {
        Path root = Cli.root();
        Manifest manifest = Manifest.load(root);
        List<Manifest.Lesson> selected = Cli.select(manifest, lessons);
        Path lessonsDir = root.resolve("lessons");
        Console out = new Console();
        boolean keyboard = System.console() != null && System.console().isTerminal();
        if (manual && !keyboard) throw new Cli.UsageError("--manual needs a terminal to press Enter in");
        out.heading(manual ? "Watching by hand: press Enter to check " + names(selected) + " again."
                : "Watching lessons/: save " + names(selected) + " and it is checked again.");
        if (keyboard) {
            out.line("  hint:  type  h 1.2  then Enter (or run ./jbang hint 1.2 in another terminal)");
            out.line("  quit:  type  q  then Enter, or press Ctrl+C");
        } else {
            out.line("  (no terminal: hints with ./jbang hint 1.2 elsewhere; stop with Ctrl+C or by ending this process)");
        }
        // The engine (the runner's module, the class-data archive) is made once, and keeps the next
        // check's JVM started and warm while the learner edits (a standby, used once).
        Engine engine = Engine.start(root, Sandbox.detect()).withStandby();
        Runtime.getRuntime().addShutdownHook(new Thread(engine.standbys()::close));
        BlockingQueue<Request> requests = new LinkedBlockingQueue<>();
        if (keyboard) Thread.ofPlatform().daemon().name("keyboard").start(() -> readKeys(selected, requests));
        if (!manual) {
            WatchService service = FileSystems.getDefault().newWatchService();
            lessonsDir.register(service, StandardWatchEventKinds.ENTRY_MODIFY, StandardWatchEventKinds.ENTRY_CREATE);
            Thread.ofPlatform().daemon().name("file-watcher").start(() -> watchFiles(service, selected, requests));
        }
        if (selected.size() == 1 || manual) requests.add(new Recheck(new LinkedHashSet<>(selected), 0));
        while (true) {
            switch (requests.take()) {
                case Quit quit -> {
                    return Cli.PASSED; // the shutdown hook ends the standby
                }
                case ShowHint hint -> {
                    try {
                        HintCommand.show(root, manifest, hint.exercise(), false, false);
                    } catch (Cli.UsageError e) {
                        out.line(e.getMessage());
                    }
                }
                case Recheck recheck -> {
                    // Changes that arrived meanwhile join this check: one at a time.
                    Set<Manifest.Lesson> changed = new LinkedHashSet<>(recheck.lessons());
                    for (Request more; (more = requests.peek()) instanceof Recheck next; requests.remove()) {
                        changed.addAll(next.lessons());
                    }
                    out.line("");
                    out.line("---- " + LocalTime.now().truncatedTo(ChronoUnit.SECONDS) + " checking "
                            + names(List.copyOf(changed)) + " ----");
                    CheckCommand.run(engine, manifest, List.copyOf(changed), lessonsDir, out, 2);
                    engine.standbys().prepare(engine, List.copyOf(changed).getLast());
                    if (recheck.savedAtNanos() != 0) {
                        out.line(String.format("(%.1f s from saving the file to this verdict)",
                                (System.nanoTime() - recheck.savedAtNanos()) / 1e9));
                    }
                    out.line(manual ? "Enter: check again   h 1.2: a hint   q: quit"
                            : keyboard ? "Waiting for the next save...   h 1.2: a hint   q: quit"
                                    : "Waiting for the next save...");
                    out.flush();
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
                if (command.equals("q") || command.equals("quit")) {
                    requests.add(new Quit());
                    return;
                }
                if (command.startsWith("h ")) requests.add(new ShowHint(command.substring(2).strip()));
                else requests.add(new Recheck(new LinkedHashSet<>(selected), 0));
            }
        } catch (IOException ignored) {
            // the keyboard went away: saving and Ctrl+C still work
        }
    }

    static void watchFiles(WatchService service, List<Manifest.Lesson> selected, BlockingQueue<Request> requests) {
        try {
            while (true) {
                WatchKey key = service.take();
                long firstChange = System.nanoTime();
                Set<Manifest.Lesson> changed = new LinkedHashSet<>();
                collect(key, selected, changed);
                // Debounce: keep collecting until the folder has been quiet for a moment.
                for (WatchKey more; (more = service.poll(DEBOUNCE_MILLIS, TimeUnit.MILLISECONDS)) != null; ) {
                    collect(more, selected, changed);
                }
                if (!changed.isEmpty()) requests.add(new Recheck(changed, firstChange));
            }
        } catch (InterruptedException | ClosedWatchServiceException e) {
            // the watch is over
        }
    }

    static void collect(WatchKey key, List<Manifest.Lesson> selected, Set<Manifest.Lesson> changed) {
        for (WatchEvent<?> event : key.pollEvents()) {
            if (!(event.context() instanceof Path name)) continue;
            selected.stream().filter(l -> l.fileName().equals(name.toString())).findFirst().ifPresent(changed::add);
        }
        key.reset();
    }
}
