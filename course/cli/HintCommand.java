package course.cli;

import com.google.gson.Gson;
import com.google.gson.reflect.TypeToken;
import course.manifest.Manifest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
        Path state = root.resolve(".course/hints.json");
        Map<String, Integer> seen = new HashMap<>();
        if (Files.isRegularFile(state)) {
            try {
                seen.putAll(new Gson().fromJson(Files.readString(state), new TypeToken<Map<String, Integer>>() {}.getType()));
            } catch (RuntimeException unreadable) {
                // start again from the first hint
            }
        }
        List<String> hints = exercise.hints();
        int shown = reset ? 1 : all ? hints.size() : Math.min(hints.size(), seen.getOrDefault(id, 0) + 1);
        seen.put(id, shown);
        Files.createDirectories(state.getParent());
        Files.writeString(state, new Gson().toJson(seen));
        Manifest.Lesson lesson = manifest.lessonOf(exercise);
        StringBuilder text = new StringBuilder("Exercise " + id + ": " + exercise.title() + "   (lessons/" + lesson.fileName()
                + ")\n");
        for (int layer = 0; layer < shown; layer++) {
            text.append(String.format("%nHint %d of %d:%n  %s%n", layer + 1, hints.size(), hints.get(layer)));
        }
        text.append('\n');
        boolean solutions = Files.isRegularFile(root.resolve("solutions").resolve(lesson.fileName()));
        text.append(shown < hints.size() ? "Run ./jbang hint " + id + " again for the next hint."
                : solutions ? "That was the last hint. The reference answer is in solutions/" + lesson.fileName()
                        + ", once you have tried."
                : "That was the last hint. Still stuck? Ask your instructor: the reference answers are theirs.");
        System.out.println(text);
        return Cli.PASSED;
    }
}
