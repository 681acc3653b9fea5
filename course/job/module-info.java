/**
 * The lesson job's runner: compiles a lesson with its tests and runs them on the JUnit
 * Platform, inside the sandbox, in the same JVM as the submitted code. It is a named module
 * that opens nothing, so that code in the unnamed module (the submission, the tests) cannot
 * reach its state by reflection; JUnit's own modules open nothing either.
 */
module course.job {
    requires java.compiler;
    requires java.management;
    requires org.junit.platform.launcher;
    requires org.junit.platform.reporting;
    requires org.junit.jupiter.api;

    provides org.junit.jupiter.api.extension.Extension with course.job.StopAfterFailure;
}
