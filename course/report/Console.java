package course.report;

import java.io.PrintStream;

/**
 * Text for people. Everything printed goes through {@link #clean}: a submission's messages and a
 * student's folder name can hold escape sequences (clear the screen, set the window title, fake a
 * row of the table), and none of them reaches the terminal. Colour comes from markers that the
 * tool adds after cleaning, turned into ANSI colours only on a terminal (or with FORCE_COLOR).
 */
public final class Console {

    private static final char GREEN = '\uE000';
    private static final char RED = '\uE001';
    private static final char YELLOW = '\uE002';
    private static final char BOLD = '\uE003';
    private static final char RESET = '\uE00F';

    private final PrintStream out;
    private final boolean colour;

    public Console() {
        this(System.out, (System.console() != null && System.console().isTerminal() || System.getenv("FORCE_COLOR") != null)
                && System.getenv("NO_COLOR") == null);
    }

    public Console(PrintStream out, boolean colour) {
        this.out = out;
        this.colour = colour;
    }

    /** Whether this console shows colours. */
    public boolean colour() {
        return colour;
    }

    /** Removes what a terminal would obey: escape sequences, control characters, bidi overrides. */
    public static String clean(String text) {
        return clean(text, false);
    }

    /** As {@link #clean}, keeping this class's own colour markers (which become colours only). */
    private static String clean(String text, boolean keepMarkers) {
        if (text == null) return "";
        String noEscapes = text.replaceAll("\u001B\\[[0-?]*[ -/]*[@-~]", "")
                .replaceAll("\u001B\\][^\u0007\u001B]*(\u0007|\u001B\\\\)?", "");
        StringBuilder kept = new StringBuilder(noEscapes.length());
        noEscapes.codePoints().forEach(c -> {
            boolean control = c < 0x20 && c != '\n' && c != '\t' || c >= 0x7F && c <= 0x9F;
            boolean bidi = c >= 0x202A && c <= 0x202E || c >= 0x2066 && c <= 0x2069 || c == 0x200E || c == 0x200F;
            boolean marker = !keepMarkers && c >= GREEN && c <= RESET;
            if (!control && !bidi && !marker) kept.appendCodePoint(c);
        });
        return kept.toString();
    }

    public void line(String text) {
        StringBuilder shown = new StringBuilder();
        for (char c : clean(text, true).toCharArray()) {
            String code = switch (c) {
                case GREEN -> "\033[32m";
                case RED -> "\033[31m";
                case YELLOW -> "\033[33m";
                case BOLD -> "\033[1m";
                case RESET -> "\033[0m";
                default -> null;
            };
            if (code == null) shown.append(c);
            else if (colour) shown.append(code);
        }
        out.println(shown);
    }

    public void heading(String text) {
        out.println();
        line(BOLD + clean(text) + RESET);
    }

    public String green(String text) {
        return GREEN + clean(text) + RESET;
    }

    public String red(String text) {
        return RED + clean(text) + RESET;
    }

    public String yellow(String text) {
        return YELLOW + clean(text) + RESET;
    }

    public void flush() {
        out.flush();
    }

    public static String progress(int done, int total) {
        int width = 30;
        int filled = total == 0 ? 0 : done * width / total;
        return String.format("exercises done: %d/%d  [%s%s]", done, total, "#".repeat(filled), ".".repeat(width - filled));
    }
}
