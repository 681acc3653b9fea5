package course;

import com.google.gson.reflect.TypeToken;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** `./jbang hint 1.2`: one more layer of help each time, from a nudge to a near-answer. */
public final class Hint {

    private Hint() {}

    public static int show(Path root, Manifest manifest, String id, boolean all, boolean reset) throws Exception {
        Manifest.Exercise exercise = manifest.exercise(id).orElse(null);
        if (exercise == null) {
            System.err.println("no exercise " + id + "; the exercises are: "
                    + String.join(" ", manifest.lessons().stream().flatMap(l -> l.exercises().stream()).map(Manifest.Exercise::id).toList()));
            return 2;
        }
        Path state = root.resolve(".course/hints.json");
        Map<String, Integer> seen = new HashMap<>();
        if (Files.isRegularFile(state)) {
            seen.putAll(Events.GSON.fromJson(Files.readString(state), new TypeToken<Map<String, Integer>>() {}.getType()));
        }
        List<String> hints = exercise.hints();
        int shown = reset ? 1 : all ? hints.size() : Math.min(hints.size(), seen.getOrDefault(id, 0) + 1);
        seen.put(id, shown);
        Files.createDirectories(state.getParent());
        Files.writeString(state, Events.GSON.toJson(seen));

        Manifest.Lesson lesson = manifest.lessonOf(exercise);
        System.out.println("Exercise " + id + ": " + exercise.title() + "   (lessons/" + lesson.fileName() + ")");
        for (int layer = 0; layer < shown; layer++) {
            System.out.printf("%nHint %d of %d:%n  %s%n", layer + 1, hints.size(), hints.get(layer));
        }
        System.out.println();
        System.out.println(shown < hints.size()
                ? "Run ./jbang hint " + id + " again for the next hint."
                : "That was the last hint. The reference answer is in solutions/" + lesson.fileName() + ", once you have tried.");
        return 0;
    }
}
