package course.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The sample output pasted into a lesson, compared with what the lesson prints now.
 *
 * A sample is a comment that starts with a label line such as
 * {@code On x86_64, 2 cores, JDK 25 (--quick), this section printed:} followed by the
 * output of one real run, starting with the section's {@code == Title ==} line. Numbers
 * are not compared (they change every run); everything else is, line by line and in
 * order, against the same section of a fresh run. A sample line that starts with
 * {@code ? } depends on what happened in that run (a race that struck or did not) and is
 * shown but not compared; a line {@code ...} stands for output left out.
 */
public final class Samples {

    private Samples() {}

    static final Pattern LABEL = Pattern.compile("^On [^,]+, \\d+ cores?, JDK \\d+[^:]*, this section printed:$");
    static final Pattern HEADER = Pattern.compile("^== .+ ==$");
    static final Pattern NUMBER = Pattern.compile("-?\\d+(?:[,.]\\d+)*");

    public record Sample(int line, List<String> lines) {}

    /** The samples in a lesson's source, in order. */
    public static List<Sample> parse(String source) {
        List<Sample> samples = new ArrayList<>();
        List<String> lines = source.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            if (!LABEL.matcher(commentText(lines.get(i)).strip()).matches()) continue;
            List<String> sample = new ArrayList<>();
            int j = i + 1;
            for (; j < lines.size(); j++) {
                String line = lines.get(j);
                if (line.strip().startsWith("*/") || !isComment(line)) break;
                String text = commentText(line);
                if (text.strip().endsWith("*/")) {
                    text = text.substring(0, text.lastIndexOf("*/"));
                    if (!text.isBlank()) sample.add(text);
                    break;
                }
                if (!text.isBlank()) sample.add(text);
            }
            samples.add(new Sample(i + 1, dedent(sample)));
            i = j;
        }
        return samples;
    }

    /**
     * What does not match: one problem per sample, and one per section the run printed that has no
     * sample (a lesson reads top to bottom without running it only if every section shows its output).
     * Empty when all match.
     */
    public static List<String> check(String source, String output) {
        List<String> problems = new ArrayList<>();
        List<String> printed = output.lines().toList();
        List<Sample> samples = parse(source);
        for (Sample sample : samples) {
            String problem = check(sample, printed);
            if (problem != null) problems.add("the sample at line " + sample.line() + ": " + problem);
        }
        List<String> sampled = samples.stream().filter(sample -> !sample.lines().isEmpty())
                .map(sample -> shape(sample.lines().get(0))).toList();
        for (String line : printed) {
            if (HEADER.matcher(line.strip()).matches() && !sampled.contains(shape(line))) {
                problems.add("no sample of the section " + line.strip() + " (paste a real run's output under it)");
            }
        }
        return problems;
    }

    static String check(Sample sample, List<String> printed) {
        if (sample.lines().isEmpty() || !HEADER.matcher(sample.lines().get(0).strip()).matches()) {
            return "does not start with the section's \"== Title ==\" line";
        }
        String header = shape(sample.lines().get(0));
        int start = -1;
        for (int i = 0; i < printed.size() && start < 0; i++) if (shape(printed.get(i)).equals(header)) start = i;
        if (start < 0) return "this run printed no section " + sample.lines().get(0).strip();
        int end = start + 1;
        while (end < printed.size() && !HEADER.matcher(printed.get(end).strip()).matches()) end++;
        List<String> section = printed.subList(start + 1, end);
        int at = 0;
        for (String line : sample.lines().subList(1, sample.lines().size())) {
            String text = line.strip();
            if (text.startsWith("? ") || text.equals("...")) continue;
            String wanted = shape(text);
            while (at < section.size() && !shape(section.get(at)).equals(wanted)) at++;
            if (at == section.size()) {
                return "no line like\n  " + text + "\nin this run's section (numbers aside, in order):\n  "
                        + String.join("\n  ", section);
            }
            at++;
        }
        return null;
    }

    /** A line with its numbers and runs of spaces made alike. */
    static String shape(String line) {
        return NUMBER.matcher(line.strip()).replaceAll("#").replaceAll("\\s+", " ");
    }

    static boolean isComment(String line) {
        String text = line.strip();
        return text.startsWith("*") || text.startsWith("//") || text.isEmpty();
    }

    static String commentText(String line) {
        String text = line.strip();
        if (text.startsWith("/*")) text = text.substring(2);
        else if (text.startsWith("//")) text = text.substring(2);
        else if (text.startsWith("*") && !text.startsWith("*/")) text = text.substring(1);
        return text;
    }

    static List<String> dedent(List<String> lines) {
        int indent = lines.stream().filter(l -> !l.isBlank()).mapToInt(l -> l.length() - l.stripLeading().length())
                .min().orElse(0);
        return lines.stream().map(l -> l.length() >= indent ? l.substring(indent) : l.strip()).toList();
    }

    /** How many samples a source holds. */
    public static int count(String source) {
        return parse(source).size();
    }
}
