package course.protocol;

/**
 * The status of a test, an exercise or a lesson: the one set of words every report uses.
 *
 * <p>A test is PASS, FAIL (an assertion did not hold), ERROR (it threw, timed out, or its JVM
 * ended under it) or NOT_DONE (the stub's "exercise N.M is not done yet" reached it). An
 * exercise and a lesson take the same values, and MISSING when the lesson's file is absent.
 */
public enum Status {
    PASS, FAIL, ERROR, NOT_DONE, MISSING;

    /** How the message of a test that was skipped begins (an ERROR: it did not run). */
    public static final String SKIPPED = "skipped: ";

    /** The word reports print and write: "pass", "fail", "error", "not done", "missing". */
    public String label() {
        return name().toLowerCase().replace('_', ' ');
    }

    public boolean passed() {
        return this == PASS;
    }
}
