// Known-wrong answer to exercise 2.1: a fine heartbeat, but on an ordinary (non-daemon)
// thread, so a program whose main returns never exits while it beats.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").start(() -> {
            try {
                while (true) {
                    beat.run();
                    Thread.sleep(interval);
                }
            } catch (InterruptedException e) {
                // asked to stop
            }
        });
    }
}
