package course.manifest;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The course manifest, {@code course.yaml}: the single source of the lessons' order, titles,
 * exercises, points and hints, and of how the tool runs each lesson.
 *
 * <p>Its fields, as {@link #parse} reads them (all required unless marked optional):
 *
 * <pre>
 * format          2: the version of this layout; the tool refuses others.
 * title           the course's name.
 * lessons[]       in the order a learner takes them. For learners:
 *   id            two digits, "01": the file name's prefix and the check command's argument.
 *   slug          lower case, "threads": lessons/01_threads.java, tests/01_threads/.
 *   title         "Threads": the heading of check's report.
 *   question      the question the lesson answers: the README's lesson table.
 *   alias         the catalog alias that runs the lesson: ./jbang threads.
 *   exercises[]   in the order they appear in the lesson file:
 *     id          "1.2": the lesson's number, a dot, the exercise's number. Tests name
 *                 it in @Tag("1.2"); the stub throws "exercise 1.2 is not done yet".
 *     title       "callOnNewThread: ...": the method, then what it does.
 *     points      a positive whole number: what grade awards when every test passes.
 *     hints[]     two or more, from a nudge to a near-answer; hint shows one per call.
 * harness         by lesson id, for the tool only (never shown to learners):
 *   runArgs[]     optional: what verify passes when it runs the lesson ("--quick").
 *   runSeconds    verify's time limit for one run of the lesson or its solution.
 *   gradeSeconds  the time limit for grading the lesson (all its tests, every restart).
 *   prints[]      optional: regular expressions that the lesson's output must match.
 *   interleavings optional, false: the tests explore interleavings with Lincheck, which
 *                 needs a Java agent and sun.misc.Unsafe in the lesson's job JVM.
 *   unsafeMemoryAccess  optional, false: the tests run a library that needs sun.misc.Unsafe's
 *                 memory access (Hazelcast's embedded members): the job JVM allows it, and
 *                 still loads no agent.
 * </pre>
 */
public record Manifest(String title, List<Lesson> lessons) {

    public static final int FORMAT = 2;
    public static final String FILE = "course.yaml";

    /** A lesson, with the learner's view and the harness settings together. */
    public record Lesson(String id, String slug, String title, String question, String alias,
                         List<Exercise> exercises, Harness harness) {

        /** The lesson's file name, the same in lessons/, solutions/ and a submission. */
        public String fileName() {
            return id + "_" + slug + ".java";
        }

        /** tests/NN_slug: the lesson's tests and its known-wrong answers. */
        public String folder() {
            return id + "_" + slug;
        }

        public int points() {
            return exercises.stream().mapToInt(Exercise::points).sum();
        }

        /** This lesson reduced to some of its exercises (grade --exercise). */
        public Lesson withExercises(List<Exercise> only) {
            return new Lesson(id, slug, title, question, alias, List.copyOf(only), harness);
        }

        /** The exercise's position in the lesson, from 1 (Exercism's task_id). */
        public int position(Exercise exercise) {
            return exercises.indexOf(exercise) + 1;
        }
    }

    public record Exercise(String id, String title, int points, List<String> hints) {}

    public record Harness(List<String> runArgs, int runSeconds, int gradeSeconds, List<String> prints,
                          boolean interleavings, boolean unsafeMemoryAccess) {

        public Harness(List<String> runArgs, int runSeconds, int gradeSeconds, List<String> prints, boolean interleavings) {
            this(runArgs, runSeconds, gradeSeconds, prints, interleavings, false);
        }
    }

    /** A manifest that cannot be used, with where and why. */
    public static final class Invalid extends RuntimeException {
        public Invalid(String message) {
            super(message);
        }
    }

    public static Manifest load(Path root) throws IOException {
        return parse(Files.readString(root.resolve(FILE)));
    }

    public static Manifest parse(String text) {
        Object document;
        try {
            document = new Yaml(new SafeConstructor(new LoaderOptions())).load(text);
        } catch (RuntimeException e) {
            throw new Invalid(FILE + " is not valid YAML: " + e.getMessage());
        }
        Node top = new Node(FILE, document);
        int format = top.integer("format");
        if (format != FORMAT) throw new Invalid(FILE + ": format " + format + ", this tool reads format " + FORMAT);
        Node harness = top.field("harness");
        List<Lesson> lessons = new ArrayList<>();
        for (Node lesson : top.list("lessons")) lessons.add(lesson(lesson, harness));
        Manifest manifest = new Manifest(top.string("title"), List.copyOf(lessons));
        manifest.checkUnique();
        return manifest;
    }

    private static Lesson lesson(Node node, Node harness) {
        String id = node.matching("id", "\\d\\d");
        List<Exercise> exercises = new ArrayList<>();
        for (Node exercise : node.list("exercises")) {
            List<String> hints = exercise.list("hints").stream().map(Node::text).toList();
            if (hints.size() < 2) throw new Invalid(exercise.where + ".hints: two hints at least");
            exercises.add(new Exercise(exercise.matching("id", Integer.parseInt(id) + "\\.\\d+"),
                    exercise.string("title"), exercise.positive("points"), hints));
        }
        Node settings = harness.field(id);
        List<String> prints = settings.optionalList("prints").stream().map(Node::text).toList();
        for (String regex : prints) {
            try {
                Pattern.compile(regex);
            } catch (PatternSyntaxException e) {
                throw new Invalid(settings.where + ".prints: " + e.getDescription() + " in " + regex);
            }
        }
        Harness settingsRecord = new Harness(settings.optionalList("runArgs").stream().map(Node::text).toList(),
                settings.positive("runSeconds"), settings.positive("gradeSeconds"), prints,
                settings.flag("interleavings"), settings.flag("unsafeMemoryAccess"));
        return new Lesson(id, node.matching("slug", "[a-z][a-z0-9_]*"), node.string("title"), node.string("question"),
                node.matching("alias", "[a-zA-Z][-\\w]*"), List.copyOf(exercises), settingsRecord);
    }

    private void checkUnique() {
        List<String> seen = new ArrayList<>();
        for (Lesson lesson : lessons) {
            for (String key : List.of("id " + lesson.id(), "slug " + lesson.slug(), "alias " + lesson.alias())) {
                if (seen.contains(key)) throw new Invalid(FILE + ": two lessons have the " + key);
                seen.add(key);
            }
            for (Exercise exercise : lesson.exercises()) {
                if (seen.contains(exercise.id())) throw new Invalid(FILE + ": two exercises are " + exercise.id());
                seen.add(exercise.id());
            }
        }
    }

    public Optional<Lesson> lesson(String idOrSlug) {
        String wanted = idOrSlug.length() == 1 ? "0" + idOrSlug : idOrSlug;
        return lessons.stream().filter(l -> l.id().equals(wanted) || l.slug().equals(idOrSlug)).findFirst();
    }

    public Optional<Exercise> exercise(String id) {
        return lessons.stream().flatMap(l -> l.exercises().stream()).filter(e -> e.id().equals(id)).findFirst();
    }

    public Lesson lessonOf(Exercise exercise) {
        return lessons.stream().filter(l -> l.exercises().contains(exercise)).findFirst().orElseThrow();
    }

    public List<Exercise> exercises() {
        return lessons.stream().flatMap(l -> l.exercises().stream()).toList();
    }

    /** One value of the YAML document, with where it is, for messages that point at it. */
    private record Node(String where, Object value) {

        Node field(String name) {
            if (!(value instanceof Map<?, ?> map)) throw new Invalid(where + ": expected a mapping");
            if (!map.containsKey(name)) throw new Invalid(where + ": no '" + name + "'");
            return new Node(where + "." + name, map.get(name));
        }

        boolean has(String name) {
            return value instanceof Map<?, ?> map && map.containsKey(name);
        }

        String text() {
            if (!(value instanceof String text) || text.isBlank()) throw new Invalid(where + ": expected text");
            return text;
        }

        String string(String name) {
            return field(name).text();
        }

        String matching(String name, String regex) {
            String text = string(name);
            if (!text.matches(regex)) throw new Invalid(where + "." + name + ": '" + text + "' is not like " + regex);
            return text;
        }

        int integer(String name) {
            if (!(field(name).value instanceof Integer number)) throw new Invalid(where + "." + name + ": expected a number");
            return number;
        }

        int positive(String name) {
            int number = integer(name);
            if (number <= 0) throw new Invalid(where + "." + name + ": must be positive");
            return number;
        }

        boolean flag(String name) {
            if (!has(name)) return false;
            if (!(field(name).value instanceof Boolean bool)) throw new Invalid(where + "." + name + ": expected true or false");
            return bool;
        }

        List<Node> list(String name) {
            Node node = field(name);
            if (!(node.value instanceof List<?> items) || items.isEmpty()) {
                throw new Invalid(node.where + ": expected a list of one item or more");
            }
            List<Node> nodes = new ArrayList<>();
            for (int i = 0; i < items.size(); i++) nodes.add(new Node(node.where + "[" + i + "]", items.get(i)));
            return nodes;
        }

        List<Node> optionalList(String name) {
            return has(name) && field(name).value instanceof List<?> items && !items.isEmpty() ? list(name) : List.of();
        }
    }
}
