// Known-wrong answer to exercise 1.2: names a thread but then calls the task directly,
// so it runs on the caller's thread.
class Threads {
    static <T> T callOnNewThread(String threadName, java.util.concurrent.Callable<T> task) throws java.util.concurrent.ExecutionException {
        Thread.ofPlatform().name(threadName).unstarted(() -> {});
        try {
            return task.call();
        } catch (Exception e) {
            throw new java.util.concurrent.ExecutionException(e);
        }
    }
}
