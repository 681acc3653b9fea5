// Known-wrong answer to exercise 2.1: passes the interval's milliseconds to a sleep that counts nanoseconds, so
// it waits a millionth of the interval between beats.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").daemon(true).start(() -> {
            try {
                while (true) {
                    beat.run();
                    java.util.concurrent.TimeUnit.NANOSECONDS.sleep(interval.toMillis());
                }
            } catch (InterruptedException e) {
                // asked to stop
            }
        });
    }
}
