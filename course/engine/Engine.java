package course.engine;

import course.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What every lesson job of one run of the tool shares: the course's root, the child JVM's
 * command, the runner's module and its class-data archive, and the sandbox.
 */
public record Engine(Path root, ChildJvm jvm, JobModule module, Sandbox sandbox, int outputCap, Integer debugPort,
                     Standby.Slot standbys) {

    public static final int OUTPUT_CAP = 64 * 1024;

    public static Engine start(Path root, Sandbox sandbox) throws IOException, InterruptedException {
        ChildJvm jvm = ChildJvm.fromToolClassPath();
        JobModule module = JobModule.prepare(root, jvm);
        Engine engine = new Engine(root, jvm, module, sandbox, OUTPUT_CAP, null, Standby.Slot.none());
        if (!Files.isRegularFile(module.archive())) engine.warmUp();
        return engine;
    }

    /** The same engine, whose jobs wait for a debugger on localhost:port (and run outside the sandbox). */
    public Engine debugging(int port) {
        return new Engine(root, jvm, module, Sandbox.none("debugging"), outputCap, port, Standby.Slot.none());
    }

    /**
     * The same engine, which keeps a job's JVM started and warm for the next job (see {@link Standby});
     * itself with COURSE_STANDBY=off (a JVM less while you edit, a colder check).
     */
    public Engine withStandby() {
        if ("off".equals(System.getenv("COURSE_STANDBY"))) return this;
        return new Engine(root, jvm, module, sandbox, outputCap, debugPort, Standby.Slot.enabled());
    }

    public boolean debugging() {
        return debugPort != null;
    }

    public Results.Job run(Manifest.Lesson lesson, List<JobRunner.Variant> variants, Duration limit)
            throws IOException, InterruptedException {
        return JobRunner.run(this, new JobRunner.Request(lesson, variants, limit));
    }

    /**
     * Writes the job's AOT cache (JDK 25: the classes every job loads, and javac's profile) with a
     * job of our own: a small lesson, its test and the course's test support compiled and run as
     * every job does, outside the sandbox, by a JVM that runs no submitted code.
     */
    void warmUp() throws IOException, InterruptedException {
        Path dir = Processes.tempFolder("course-warmup-");
        try {
            Path partial = module.archive().resolveSibling("job.aot.partial-" + ProcessHandle.current().pid());
            Staging staging = warmupStaging(dir);
            List<String> command = new ArrayList<>(jvm.command(module.dir(), null, ChildJvm.Trust.STRICT,
                    List.of(staging.spec().toString())));
            command.add(1, "-XX:AOTCacheOutput=" + partial);
            command.add(2, "-Xlog:cds=off");
            command.add(3, "-Xlog:aot=off");
            command.add(4, "-Djava.io.tmpdir=" + dir); // its variant's folder is deleted with ours
            Process process = Processes.start(new ProcessBuilder(command).directory(dir.toFile())
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD));
            try (var stdin = process.getOutputStream()) {
                stdin.write("warmup\n".getBytes());
            }
            boolean ended = process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) process.destroyForcibly();
            process.waitFor();
            Processes.done(process);
            if (ended && Files.isRegularFile(partial) && Files.size(partial) > 0) {
                Files.move(partial, module.archive(), StandardCopyOption.ATOMIC_MOVE);
            }
            else Files.deleteIfExists(partial);
        } finally {
            Processes.deleteTree(dir);
        }
    }

    /**
     * The warm-up job's folder in {@code dir}: a small lesson and its test, with the course's own
     * test support: a compile of a realistic size trains javac (a job's compile took 2.0 s after a
     * toy warm-up, 1.3 s after this one). Trusted code only: for the AOT cache and for standbys.
     */
    Staging warmupStaging(Path dir) throws IOException {
        return warmupStaging(dir, false);
    }

    /**
     * The same, and with {@code hazelcast} a member of a cluster of its own started and ended too
     * (for a standby of a lesson whose tests form Hazelcast clusters: Hazelcast's first member in a
     * JVM takes about 1.5 s more than the next, its classes' loading and first use).
     */
    Staging warmupStaging(Path dir, boolean hazelcast) throws IOException {
        Path tests = Files.createDirectories(dir.resolve("tests/00_warmup"));
        Files.writeString(tests.resolve("WarmupTest.java"), WARMUP_TEST);
        if (hazelcast) Files.writeString(tests.resolve("HazelcastWarmupTest.java"), HAZELCAST_WARMUP_TEST);
        Path support = Files.isDirectory(root.resolve("tests/support")) ? root.resolve("tests/support")
                : Files.createDirectories(dir.resolve("tests/support"));
        return Staging.write(dir, "warmup.java", tests, support,
                List.of(new JobRunner.Variant("warmup", WARMUP_LESSON, "warmup", null)), List.of(), outputCap);
    }

    static final String WARMUP_LESSON = """
            class Warmup {
                static int twice(int x) {
                    return 2 * x;
                }
            }
            """;

    /** Whether a lesson's tests use Hazelcast (its standby warms it up). */
    public boolean usesHazelcast(Manifest.Lesson lesson) {
        try {
            for (Path test : Sources.javaFiles(root.resolve("tests").resolve(lesson.folder()))) {
                if (Files.readString(test).contains("import com.hazelcast.")) return true;
            }
        } catch (IOException unreadable) {
            // a standby without it: as fast as before
        }
        return false;
    }

    static final String HAZELCAST_WARMUP_TEST = """
            import com.hazelcast.config.Config;
            import com.hazelcast.config.NetworkConfig;
            import com.hazelcast.core.Hazelcast;
            import com.hazelcast.core.HazelcastInstance;
            import java.util.UUID;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;

            class HazelcastWarmupTest {
                @Test
                @Tag("0.1")
                void memberStartsAndEnds() {
                    Config config = new Config();
                    config.setClusterName("warmup-" + UUID.randomUUID());
                    config.setProperty("hazelcast.logging.type", "none");
                    config.setProperty("hazelcast.phone.home.enabled", "false");
                    config.setProperty("hazelcast.shutdownhook.enabled", "false");
                    config.setProperty("hazelcast.socket.bind.any", "false");
                    NetworkConfig network = config.getNetworkConfig();
                    network.setPort(5701).setPortAutoIncrement(true).setPortCount(200);
                    network.getInterfaces().setEnabled(true).addInterface("127.0.0.1");
                    network.getJoin().getMulticastConfig().setEnabled(false);
                    network.getJoin().getAutoDetectionConfig().setEnabled(false);
                    HazelcastInstance member = Hazelcast.newHazelcastInstance(config);
                    try {
                        member.getMap("warmup").put("key", 1L);
                    } finally {
                        member.getLifecycleService().terminate();
                    }
                }
            }
            """;

    static final String WARMUP_TEST = """
            import static org.assertj.core.api.Assertions.assertThat;

            import java.time.Duration;
            import java.util.concurrent.TimeUnit;
            import java.util.concurrent.atomic.AtomicBoolean;
            import org.awaitility.Awaitility;
            import org.junit.jupiter.api.DisplayName;
            import org.junit.jupiter.api.Tag;
            import org.junit.jupiter.api.Test;
            import org.junit.jupiter.api.Timeout;

            @Timeout(value = 30, unit = TimeUnit.SECONDS)
            class WarmupTest {
                @Test
                @Tag("0.1")
                @DisplayName("twice doubles")
                void twice() {
                    AtomicBoolean ran = new AtomicBoolean();
                    Thread.ofPlatform().start(() -> ran.set(true));
                    Awaitility.await().atMost(Duration.ofSeconds(5)).untilTrue(ran);
                    assertThat(Warmup.twice(21)).as("twice(21)").isEqualTo(42);
                }

                @Test
                @Tag("0.1")
                @DisplayName("a failure, for the classes that report it")
                void fails() {
                    assertThat(Warmup.twice(1)).as("on purpose").isEqualTo(3);
                }
            }
            """;
}
