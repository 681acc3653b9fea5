// Known-wrong answer to exercise 1.2: a thread that catches Exception, not Throwable: a task that throws an
// Error (AssertionError, StackOverflowError) kills the thread, and the caller gets null instead.
class Threads {
    static <T> T callOnNewThread(String threadName, java.util.concurrent.Callable<T> task)
            throws java.util.concurrent.ExecutionException, InterruptedException {
        Object[] outcome = new Object[2];
        Thread thread = Thread.ofPlatform().name(threadName).start(() -> {
            try {
                outcome[0] = task.call();
            } catch (Exception e) {
                outcome[1] = e;
            }
        });
        thread.join();
        if (outcome[1] != null) throw new java.util.concurrent.ExecutionException((Exception) outcome[1]);
        @SuppressWarnings("unchecked") T result = (T) outcome[0];
        return result;
    }
}
