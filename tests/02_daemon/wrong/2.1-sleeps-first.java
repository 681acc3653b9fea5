// Known-wrong answer to exercise 2.1: sleeps before each beat, so the first beat comes only after a whole
// interval (an hour, for an interval of an hour) instead of at once.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").daemon(true).start(() -> {
            try {
                while (true) {
                    Thread.sleep(interval);
                    beat.run();
                }
            } catch (InterruptedException e) {
                // asked to stop
            }
        });
    }
}
