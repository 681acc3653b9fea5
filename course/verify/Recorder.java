package course.verify;

import course.report.Console;
import java.util.ArrayList;
import java.util.List;

/** verify's findings: one line each, ok or FAIL with what went wrong, and the tally. */
public final class Recorder {

    private final Console out;
    private int passed;
    private int failed;
    private final List<String> failures = new ArrayList<>();

    public Recorder(Console out) {
        this.out = out;
    }

    public synchronized void record(boolean ok, String what, String detail) {
        if (ok) passed++;
        else failed++;
        out.line((ok ? "  ok    " : "  " + out.red("FAIL") + "  ") + what + (detail == null || detail.isBlank() ? "" : "\n"
                + indent(detail)));
        if (!ok) failures.add(what);
    }

    public synchronized void note(String text) {
        out.line("  note  " + text);
    }

    static String indent(String text) {
        return String.join("\n", text.strip().lines().limit(40).map(line -> "          " + line).toList());
    }

    public synchronized int passed() {
        return passed;
    }

    public synchronized int failed() {
        return failed;
    }

    public synchronized List<String> failures() {
        return List.copyOf(failures);
    }
}
