///usr/bin/env jbang "$0" "$@" ; exit $?
//JAVA 25+
//MAIN Daemon

// Reference answers to the exercises of lessons/02_daemon.java.
// Run it to see each answer at work: ./jbang solutions/02_daemon.java

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Supplier;

class Daemon {

    static void main(String[] args) throws Exception {
        if (args.length == 2 && args[0].equals("child-save")) { // 2.3, in a child JVM
            AtomicInteger saves = new AtomicInteger();
            saveOnExit(Path.of(args[1]), () -> "main ended after " + saves.get() + " saves\n");
            saves.set(42); // changes after the hook was registered: the hook must see 42
            return;
        }

        CountDownLatch threeBeats = new CountDownLatch(3);
        Thread heartbeat = startHeartbeat(Duration.ofMillis(20), threeBeats::countDown);
        boolean beat = threeBeats.await(5, TimeUnit.SECONDS);
        System.out.println("2.1 heartbeat: 3 beats " + (beat ? "seen" : "NOT seen") + ", daemon = " + heartbeat.isDaemon());
        heartbeat.interrupt();
        System.out.println("2.1 after interrupt it ended: " + heartbeat.join(Duration.ofSeconds(5)));

        BlockingQueue<String> inbox = new LinkedBlockingQueue<>(List.of("a", "b", "c", "d"));
        List<String> handled = new ArrayList<>();
        int count = workUntilInterrupted(inbox, item -> {
            handled.add(item);
            if (item.equals("b")) Thread.currentThread().interrupt(); // interrupted while handling "b"
        });
        boolean flag = Thread.interrupted(); // reads and clears it
        System.out.println("2.2 handled " + count + " " + handled + ", left " + inbox + ", flag was set: " + flag);

        Path dir = Files.createTempDirectory("solution02-");
        Path saved = dir.resolve("saved.txt");
        Process child = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Daemon.class.getName(), "child-save", saved.toString())
                .inheritIO().start();
        try {
            child.waitFor(20, TimeUnit.SECONDS);
        } finally {
            child.destroyForcibly();
            child.waitFor(5, TimeUnit.SECONDS);
        }
        System.out.print("2.3 the child's hook saved: " + (Files.exists(saved) ? Files.readString(saved) : "nothing\n"));
        Files.deleteIfExists(saved);
        Files.delete(dir);
    }

    // Exercise 2.1: `daemon(true)` on the builder, before the thread starts. The loop ends
    // when sleep is interrupted: the exception is the request to stop, so we just return.
    static Thread startHeartbeat(Duration interval, Runnable beat) {
        return Thread.ofPlatform().name("heartbeat").daemon(true).start(() -> {
            try {
                while (true) {
                    beat.run();
                    Thread.sleep(interval);
                }
            } catch (InterruptedException e) {
                // asked to stop: the thread ends here
            }
        });
    }

    // Exercise 2.2: check the flag before taking (so no new item is taken after an
    // interrupt), always handle what we took, and set the flag again when take() clears it.
    static int workUntilInterrupted(BlockingQueue<String> inbox, Consumer<String> handler) {
        int handled = 0;
        while (!Thread.currentThread().isInterrupted()) {
            String item;
            try {
                item = inbox.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt(); // take() cleared the flag: set it again
                break;
            }
            handler.accept(item);
            handled++;
        }
        return handled;
    }

    // Exercise 2.3: an unstarted thread handed to the Runtime; it reads the state when it
    // runs. Files.writeString opens, writes everything, and closes the file.
    static void saveOnExit(Path file, Supplier<String> state) {
        Runtime.getRuntime().addShutdownHook(Thread.ofPlatform().name("save-on-exit").unstarted(() -> {
            try {
                Files.writeString(file, state.get());
            } catch (IOException e) {
                e.printStackTrace(); // nobody is left to rethrow it to
            }
        }));
    }
}
