// Known-wrong answer to exercise 2.1: beats on time, but waits for the next beat by checking the clock in a
// loop, so the heartbeat keeps a core busy all the time instead of sleeping.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").daemon(true).start(() -> {
            long next = System.nanoTime();
            while (!Thread.currentThread().isInterrupted()) {
                if (System.nanoTime() - next >= 0) {
                    beat.run();
                    next += interval.toNanos();
                }
                Thread.onSpinWait();
            }
        });
    }
}
