// Known-wrong answer to exercise 2.1: sleeps interval.toSeconds() * 1000 ms, which is 0 for any interval under
// a second, so a 100 ms heartbeat beats as fast as it can.
class Daemon {
    static Thread startHeartbeat(java.time.Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").daemon(true).start(() -> {
            try {
                while (true) {
                    beat.run();
                    Thread.sleep(interval.toSeconds() * 1000);
                }
            } catch (InterruptedException e) {
                // asked to stop
            }
        });
    }
}
