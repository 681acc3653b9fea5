// Known-wrong answer to exercise 2.1: marks the thread daemon after starting it, which
// throws IllegalThreadStateException and leaves a non-daemon heartbeat running.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        Thread heartbeat = new Thread(() -> {
            try {
                while (true) {
                    beat.run();
                    Thread.sleep(interval);
                }
            } catch (InterruptedException e) {
                // asked to stop
            }
        }, "heartbeat");
        heartbeat.start();
        heartbeat.setDaemon(true);
        return heartbeat;
    }
}
