import java.util.List;
import java.util.concurrent.CompletableFuture;

import org.jetbrains.lincheck.Lincheck;

/**
 * The child JVM of AsyncTest's race test for exercise 4.3: Lincheck runs two attempts
 * failing at the same moment on two threads, many times, switching the threads at the
 * points it chooses, and checks each time that firstSuccessful's future failed. A child
 * JVM because Lincheck attaches a Java agent, and the lesson job's JVM (a named module as
 * its main) does not load java.instrument. Started as {@code java -cp <class path>
 * FirstSuccessfulRace <invocations>}; its last line is the verdict, and the exit code 0 when
 * no run went wrong, 1 when the result did not fail, 2 when something else went wrong.
 */
class FirstSuccessfulRace {

    static final String NEVER_FAILED = "both attempts failed, and the result did not fail";

    // What Lincheck explores must be reachable from a static field: an object reachable
    // only from a started thread's Runnable is taken for thread-local, and its races missed.
    static List<CompletableFuture<String>> attempts;
    static CompletableFuture<String> result;

    public static void main(String[] args) {
        try {
            Lincheck.runConcurrentTest(Integer.parseInt(args[0]), () -> twoFailuresAtOnce());
            System.out.println("verdict: passed");
        } catch (Throwable found) {
            String report = String.valueOf(found.getMessage());
            System.out.println(report);
            System.out.println(report.contains(NEVER_FAILED) ? "verdict: never failed" : "verdict: went wrong");
            System.exit(report.contains(NEVER_FAILED) ? 1 : 2);
        }
    }

    static void twoFailuresAtOnce() {
        attempts = List.of(new CompletableFuture<String>(), new CompletableFuture<String>());
        result = Async.firstSuccessful(attempts);
        Thread failsFirst = new Thread(() -> attempts.get(0).completeExceptionally(new IllegalStateException("mirror 0")));
        Thread failsSecond = new Thread(() -> attempts.get(1).completeExceptionally(new IllegalStateException("mirror 1")));
        failsFirst.start();
        failsSecond.start();
        try {
            failsFirst.join();
            failsSecond.join();
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (!result.isCompletedExceptionally()) throw new AssertionError(NEVER_FAILED);
    }
}
