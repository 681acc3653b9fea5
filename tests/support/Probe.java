import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.FutureTask;
import java.util.function.BooleanSupplier;

/**
 * Helpers the lessons' tests share: run the learner's code on a thread of the test's own
 * so that the test can watch it, and wait for conditions without sleeping.
 */
final class Probe {

    /** How long a test waits for something a correct answer does at once. Generous: a
     *  loaded 2-core machine must never make a correct answer fail. */
    static final Duration PATIENCE = Duration.ofSeconds(5);

    private Probe() {}

    /** Runs {@code call} on a new platform thread named {@code name}, and returns at once. */
    static <T> Caller<T> call(String name, Callable<T> call) {
        FutureTask<T> future = new FutureTask<>(call);
        Thread thread = Thread.ofPlatform().name(name).daemon(true).start(future);
        return new Caller<>(thread, future);
    }

    /** The learner's call, running on a thread the test can watch. */
    record Caller<T>(Thread thread, FutureTask<T> future) {

        boolean returned() {
            return future.isDone();
        }

        /** True once the caller is parked (in join, get, await, ...). */
        boolean waiting() {
            Thread.State state = thread.getState();
            return state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
        }

        /** What the call returned or threw, for a failure message; only once it returned. */
        String describe() {
            try {
                return String.valueOf(future.get());
            } catch (java.util.concurrent.ExecutionException e) {
                return "an exception, " + e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return "(interrupted)";
            }
        }

        T result() throws Exception {
            return future.get(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        }
    }

    /**
     * True once a thread has nothing left to do: ended, or parked (an idle pool thread, or one
     * waiting on something else). A call the test released has then also stored its result.
     */
    static boolean settled(Thread thread) {
        if (thread == null) return false;
        Thread.State state = thread.getState();
        return state == Thread.State.TERMINATED || state == Thread.State.WAITING || state == Thread.State.TIMED_WAITING;
    }

    /** Waits for the latch up to PATIENCE; false if it did not open by then (or we were interrupted). */
    static boolean await(java.util.concurrent.CountDownLatch latch) {
        try {
            return latch.await(PATIENCE.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Waits (polling, no sleep) until {@code condition} holds; false if PATIENCE ran out. */
    static boolean eventually(BooleanSupplier condition) {
        try {
            org.awaitility.Awaitility.await().atMost(PATIENCE).pollInterval(Duration.ofMillis(2)).until(condition::getAsBoolean);
            return true;
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            return false;
        }
    }
}
