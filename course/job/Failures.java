package course.job;

import course.protocol.Status;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A test's failure as a learner should read it, and the status it earns. */
final class Failures {

    private Failures() {}

    /** The stub's own words, and nothing a test's message put after them when it quoted the stub. */
    static final Pattern STUB = Pattern.compile("exercise [\\d.]+ is not done yet(?:: see its comment)?");

    static Status status(Throwable failure) {
        if (failure == null) return Status.PASS;
        if (notDone(failure)) return Status.NOT_DONE;
        return failure instanceof AssertionError && !timeout(failure) ? Status.FAIL : Status.ERROR;
    }

    /** A stub's "exercise N.M is not done yet", thrown, wrapped, or quoted in a test's message. */
    static boolean notDone(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (String.valueOf(cause.getMessage()).contains("is not done yet")) return true;
        }
        return false;
    }

    static boolean timeout(Throwable failure) {
        return failure instanceof TimeoutException || failure.getClass().getSimpleName().contains("Timeout");
    }

    /** The message, and where in the learner's file the failure came from. */
    static String explain(Throwable failure, String lessonFile) {
        if (failure == null) return null;
        if (notDone(failure)) {
            for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
                Matcher stub = STUB.matcher(String.valueOf(cause.getMessage()));
                if (stub.find()) return stub.group();
            }
        }
        if (timeout(failure)) {
            return String.valueOf(failure.getMessage()).replaceFirst("^.*?timed out", "timed out")
                    + ": is something waiting forever (a deadlock, a lost signal, a join on a thread that never ends)?";
        }
        if (failure instanceof AssertionError) return String.valueOf(failure.getMessage()).strip();
        StringBuilder text = new StringBuilder(failure.toString());
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            for (StackTraceElement frame : cause.getStackTrace()) {
                if (lessonFile.equals(frame.getFileName())) {
                    return text.append(" (at ").append(lessonFile).append(':').append(frame.getLineNumber())
                            .append(", in ").append(frame.getMethodName()).append(')').toString();
                }
            }
        }
        return text.toString();
    }
}
