// Known-wrong answer to exercise 1.2: retries get() whenever it is interrupted, so the caller's interrupt is
// lost and callOnNewThread waits on as if nobody had asked it to stop.
class Threads {
    static <T> T callOnNewThread(String threadName, java.util.concurrent.Callable<T> task)
            throws java.util.concurrent.ExecutionException {
        java.util.concurrent.FutureTask<T> future = new java.util.concurrent.FutureTask<>(task);
        Thread.ofPlatform().name(threadName).start(future);
        while (true) {
            try {
                return future.get();
            } catch (InterruptedException e) {
                // try again
            }
        }
    }
}
