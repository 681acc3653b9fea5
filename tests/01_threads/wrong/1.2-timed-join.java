// Known-wrong answer to exercise 1.2: joins for at most one second and ignores what join returned, so a task
// that takes longer is still running when its (missing) result is returned.
class Threads {
    static <T> T callOnNewThread(String threadName, java.util.concurrent.Callable<T> task)
            throws java.util.concurrent.ExecutionException, InterruptedException {
        java.util.concurrent.FutureTask<T> future = new java.util.concurrent.FutureTask<>(task);
        Thread thread = Thread.ofPlatform().name(threadName).start(future);
        thread.join(java.time.Duration.ofSeconds(1));
        return future.isDone() ? future.get() : null;
    }
}
