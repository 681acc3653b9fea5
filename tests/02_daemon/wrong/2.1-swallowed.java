// Known-wrong answer to exercise 2.1: a daemon heartbeat that catches InterruptedException
// around the sleep and carries on, so interrupting it never stops it.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").daemon(true).start(() -> {
            while (true) {
                beat.run();
                try {
                    Thread.sleep(interval);
                } catch (InterruptedException e) {
                    // ignore and keep beating
                }
            }
        });
    }
}
