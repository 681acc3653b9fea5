package course.cli;

import course.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code ./jbang hint 1.2}: one more layer of help each time, from a nudge to a near-answer. */
@Command(name = "hint", mixinStandardHelpOptions = true, description = "Show the next hint for an exercise, e.g. hint 1.2.")
public final class HintCommand implements Callable<Integer> {

    @Parameters(paramLabel = "EXERCISE", description = "the exercise, e.g. 1.2")
    String exercise;

    @Option(names = "--all", description = "show every hint at once")
    boolean all;

    @Option(names = "--reset", description = "start again from the first hint")
    boolean reset;

    @Override
    public Integer call() throws Exception {
        Path root = Cli.root();
        return show(root, Manifest.load(root), exercise, all, reset);
    }

    static int show(Path root, Manifest manifest, String id, boolean all, boolean reset) throws Exception {
        Manifest.Exercise exercise = manifest.exercise(id).orElseThrow(() -> new Cli.UsageError("no exercise " + id
                + "; the exercises are: " + String.join(" ", manifest.exercises().stream().map(Manifest.Exercise::id).toList())));
        int total = exercise.hints().size();
        int shown = reset ? 1 : all ? total : Math.min(total, seen(root, id) + 1);
        Files.createDirectories(root.resolve(STATE));
        Files.writeString(root.resolve(STATE).resolve(id), shown + "\n");
        System.out.println(text(root, manifest, exercise, shown));
        keep(root, manifest);
        return Cli.PASSED;
    }

    /** How many hints of each exercise were shown: one file per exercise, a number, read by ./jbang too. */
    static final String STATE = ".course/hints";

    static int seen(Path root, String id) {
        try {
            return Integer.parseInt(Files.readString(root.resolve(STATE).resolve(id)).strip());
        } catch (IOException | NumberFormatException | InvalidPathException unreadable) {
            return 0; // start again from the first hint
        }
    }

    /** What {@code hint} prints when it shows the first {@code shown} hints of an exercise. */
    static String text(Path root, Manifest manifest, Manifest.Exercise exercise, int shown) {
        List<String> hints = exercise.hints();
        Manifest.Lesson lesson = manifest.lessonOf(exercise);
        StringBuilder text = new StringBuilder("Exercise " + exercise.id() + ": " + exercise.title() + "   (lessons/"
                + lesson.fileName() + ")\n");
        for (int layer = 0; layer < shown; layer++) {
            text.append(String.format("%nHint %d of %d:%n  %s%n", layer + 1, hints.size(), hints.get(layer)));
        }
        text.append('\n');
        boolean solutions = Files.isRegularFile(root.resolve("solutions").resolve(lesson.fileName()));
        text.append(shown < hints.size() ? "Run ./jbang hint " + exercise.id() + " again for the next hint."
                : solutions ? "That was the last hint. The reference answer is in solutions/" + lesson.fileName()
                        + ", once you have tried."
                : "That was the last hint. Still stuck? Ask your instructor: the reference answers are theirs.");
        return text.toString();
    }

    /**
     * Every hint text, kept where ./jbang answers the next {@code hint N.M} from without starting a
     * JVM: the folder it names in COURSE_HINT_CACHE, whose name is a digest of all the text came from
     * (see ./jbang). Files: N.M.count (how many hints) and N.M.K (the output with K hints shown).
     */
    static void keep(Path root, Manifest manifest) throws IOException {
        String folder = System.getenv("COURSE_HINT_CACHE");
        if (folder == null || folder.isBlank() || Files.isDirectory(Path.of(folder))) return;
        Path target = Path.of(folder);
        Path work = Files.createTempDirectory(Files.createDirectories(target.getParent()), "hints-");
        for (Manifest.Exercise exercise : manifest.exercises()) {
            Files.writeString(work.resolve(exercise.id() + ".count"), exercise.hints().size() + "\n");
            for (int shown = 1; shown <= exercise.hints().size(); shown++) {
                Files.writeString(work.resolve(exercise.id() + "." + shown), text(root, manifest, exercise, shown) + "\n");
            }
        }
        try {
            Files.move(work, target, StandardCopyOption.ATOMIC_MOVE); // all or nothing for a ./jbang reading it
        } catch (IOException anotherWasFaster) {
            try (var files = Files.list(work)) {
                for (Path file : files.toList()) Files.delete(file);
            }
            Files.delete(work);
        }
    }
}
