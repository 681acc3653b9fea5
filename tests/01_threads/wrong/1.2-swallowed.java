// Known-wrong answer to exercise 1.2: catches the task's exception inside the thread and
// prints it, so the caller gets null instead of the failure.
class Threads {
    static <T> T callOnNewThread(String threadName, java.util.concurrent.Callable<T> task) throws java.util.concurrent.ExecutionException, InterruptedException {
        java.util.concurrent.atomic.AtomicReference<T> result = new java.util.concurrent.atomic.AtomicReference<>();
        Thread thread = Thread.ofPlatform().name(threadName).start(() -> {
            try {
                result.set(task.call());
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        thread.join();
        return result.get();
    }
}
