package course.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What the tool asks of a job, read from a small text file (the runner has no JSON library):
 * <pre>
 *   lesson   01_threads.java
 *   tests    /job/in/tests
 *   support  /job/in/support
 *   cap      65536
 *   exclude  [engine:junit-jupiter]/[class:ThreadsTest]/[method:...]    (any number)
 *   variant  NAME TAB SOURCE TAB DISPLAY TAB ONLY-TAG or - TAB stop or -   (one or more)
 * </pre>
 */
record Spec(String lessonFile, Path tests, Path support, int outputCap, List<String> exclude,
            List<Variant> variants) {

    /** {@code stopAtFirstFailure}: skip the tests after the first real failure (see {@link StopAfterFailure}). */
    record Variant(String name, Path source, String display, String onlyTag, boolean stopAtFirstFailure) {}

    static Spec read(Path file) throws IOException {
        String lesson = null;
        Path tests = null;
        Path support = null;
        int cap = 64 * 1024;
        List<String> exclude = new ArrayList<>();
        List<Variant> variants = new ArrayList<>();
        for (String line : Files.readAllLines(file)) {
            int space = line.indexOf(' ');
            if (space < 0) continue;
            String key = line.substring(0, space);
            String value = line.substring(space + 1).strip();
            switch (key) {
                case "lesson" -> lesson = value;
                case "tests" -> tests = Path.of(value);
                case "support" -> support = Path.of(value);
                case "cap" -> cap = Integer.parseInt(value);
                case "exclude" -> exclude.add(value);
                case "variant" -> {
                    String[] parts = value.split("\t");
                    variants.add(new Variant(parts[0], Path.of(parts[1]), parts[2], parts[3].equals("-") ? null : parts[3],
                            parts.length > 4 && parts[4].equals("stop")));
                }
                default -> throw new IOException("unknown job line: " + key);
            }
        }
        return new Spec(lesson, tests, support, cap, List.copyOf(exclude), List.copyOf(variants));
    }
}
