package course.job;

import course.protocol.Event;
import course.protocol.Status;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;

/** Sends an event for each test as it starts and ends, with what it printed and why it failed. */
final class Reporter implements TestExecutionListener {

    private final Channel channel;
    private final String variant;
    private final Capture capture;
    private final String lessonFile;

    Reporter(Channel channel, String variant, Capture capture, String lessonFile) {
        this.channel = channel;
        this.variant = variant;
        this.capture = capture;
        this.lessonFile = lessonFile;
    }

    @Override
    public void executionStarted(TestIdentifier test) {
        if (!test.isTest()) return;
        capture.startTest();
        channel.send(new Event.Started(variant, test.getUniqueId()));
    }

    @Override
    public void executionSkipped(TestIdentifier test, String reason) {
        if (test.isTest()) {
            channel.send(new Event.Finished(variant, test.getUniqueId(), Status.ERROR, Status.SKIPPED + reason, "", 0));
        }
    }

    @Override
    public void executionFinished(TestIdentifier test, TestExecutionResult result) {
        if (!test.isTest()) return;
        String output = capture.endTest();
        Throwable failure = result.getThrowable().orElse(null);
        Status status = result.getStatus() == TestExecutionResult.Status.ABORTED ? Status.ERROR : Failures.status(failure);
        if (status == Status.FAIL || status == Status.ERROR) StopAfterFailure.failed();
        channel.send(new Event.Finished(variant, test.getUniqueId(), status, Failures.explain(failure, lessonFile),
                output, capture.millis()));
    }
}
