package course.engine;

import java.util.List;

/** Cutting text down to size: the one place that does it, so every report cuts alike. */
public final class Text {

    private Text() {}

    /** At most {@code max} characters: the start, then a note of how much was cut. */
    public static String head(String text, int max) {
        if (text == null || text.length() <= max) return text;
        return text.substring(0, max) + String.format("%n[... %,d more characters]", text.length() - max);
    }

    /** At most {@code max} characters: a note of how much was cut, then the end. */
    public static String tail(String text, int max) {
        if (text == null || text.length() <= max) return text;
        return String.format("[... %,d characters]%n", text.length() - max) + text.substring(text.length() - max);
    }

    /** The first {@code count} lines, and how many more there were. */
    public static String firstLines(String text, int count) {
        if (text == null) return "";
        List<String> lines = text.strip().lines().toList();
        String kept = String.join("\n", lines.subList(0, Math.min(count, lines.size())));
        return lines.size() > count ? kept + "\n[" + (lines.size() - count) + " more lines]" : kept;
    }

    /** The first line, cut to {@code max} characters with "..." */
    public static String firstLine(String text, int max) {
        if (text == null || text.isBlank()) return "";
        String line = text.strip().lines().findFirst().orElse("");
        return line.length() <= max ? line : line.substring(0, max - 3) + "...";
    }
}
