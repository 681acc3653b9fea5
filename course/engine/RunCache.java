package course.engine;

import com.google.gson.Gson;
import course.engine.TestPlan.TestCase;
import course.manifest.Manifest;
import course.protocol.Event;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A whole lesson's results, kept for a while for {@code grade --exercise}. GitHub Classroom's
 * workflow grades one exercise per step, and the steps of a lesson grade the same file: the first
 * runs every test of the lesson and keeps the results, the others read them (29 steps, 9 lesson
 * runs). Kept outside the repository (which a student can write), in a folder of the system's
 * temporary directory that only this user can use, under a digest of everything the results
 * depend on: the checkout, the submitted file, the tests and their support, the runner, the JDK,
 * the sandbox and the time limit; for {@link #KEPT}. A run that was tampered with is never kept; a run cut
 * short (by the time limit, or a JVM that died too often) is kept, and serves only the exercises
 * it settled (see {@link Results.Variant#settles}): the others run alone, as without the cache.
 */
public final class RunCache {

    private RunCache() {}

    static final Duration KEPT = Duration.ofMinutes(30);
    private static final Gson GSON = new Gson();

    /** The stored form of a job of one variant. */
    record Stored(String variant, boolean compiled, List<Event.Diagnostic> diagnostics, List<TestCase> plan,
                  List<Results.TestResult> results, String problem, String cutShort, long millis, boolean timedOut) {}

    /** The kept results of this lesson file, if a whole run of it was kept less than {@link #KEPT} ago. */
    public static Optional<Results.Job> load(Engine engine, Manifest.Lesson lesson, String source) {
        try {
            Path entry = entry(engine, lesson, source);
            if (entry == null || !Files.isRegularFile(entry)) return Optional.empty();
            if (Files.getLastModifiedTime(entry).toInstant().isBefore(Instant.now().minus(KEPT))) {
                Files.deleteIfExists(entry);
                return Optional.empty();
            }
            Stored stored = GSON.fromJson(Files.readString(entry, StandardCharsets.UTF_8), Stored.class);
            Results.Variant variant = Results.Variant.of(stored.variant(), stored.plan(), stored.diagnostics(),
                    stored.results(), stored.problem(), null, stored.cutShort());
            return Optional.of(new Results.Job(Map.of(stored.variant(), variant), stored.millis(), stored.timedOut()));
        } catch (IOException | RuntimeException unreadable) {
            return Optional.empty(); // never worse than no cache: the lesson runs
        }
    }

    /**
     * Keeps a whole run of one variant, unless it was tampered with: false then (whether or not a
     * folder to keep it in was found, it is a run to use).
     */
    public static boolean store(Engine engine, Manifest.Lesson lesson, String source, Results.Job job) {
        if (job.variants().size() != 1) return false;
        Results.Variant variant = job.variants().values().iterator().next();
        if (variant.tampered() != null) return false;
        try {
            Path entry = entry(engine, lesson, source);
            if (entry == null) return true;
            Stored stored = new Stored(variant.name(), variant.compiled(), variant.diagnostics(), variant.plan,
                    List.copyOf(variant.results.values()), variant.problem(), variant.cutShort(), job.millis(), job.timedOut());
            prune(entry.getParent());
            Path partial = Files.createTempFile(entry.getParent(), "run-", ".partial");
            Files.writeString(partial, GSON.toJson(stored), StandardCharsets.UTF_8);
            Files.move(partial, entry, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.setLastModifiedTime(entry, FileTime.from(Instant.now()));
        } catch (IOException | RuntimeException ignored) {
            // nothing kept: the next exercise runs the lesson again
        }
        return true;
    }

    /** Deletes the entries older than {@link #KEPT}. */
    static void prune(Path folder) throws IOException {
        Instant oldest = Instant.now().minus(KEPT);
        try (var entries = Files.list(folder)) {
            for (Path old : entries.toList()) {
                if (Files.getLastModifiedTime(old).toInstant().isBefore(oldest)) Files.deleteIfExists(old);
            }
        }
    }

    /** The entry's file, or null when there is no folder that only we can use. */
    static Path entry(Engine engine, Manifest.Lesson lesson, String source) throws IOException {
        Path folder = OwnFolder.of("course-runs");
        return folder == null ? null : folder.resolve(key(engine, lesson, source) + ".json");
    }

    static String key(Engine engine, Manifest.Lesson lesson, String source) throws IOException {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            // the checkout too: another's runs are not ours (verify's Classroom check grades a copy, cold, as GitHub would)
            for (String part : List.of("2", engine.root().toAbsolutePath().normalize().toString(), lesson.id(),
                    lesson.fileName(), Integer.toString(lesson.harness().gradeSeconds()), engine.module().dir().toString(),
                    System.getProperty("java.vm.version"), engine.sandbox().describe(),
                    Integer.toString(engine.outputCap()), source)) {
                update(sha, part.getBytes(StandardCharsets.UTF_8));
            }
            for (Path folder : List.of(engine.root().resolve("tests").resolve(lesson.folder()),
                    engine.root().resolve("tests/support"))) {
                for (Path file : Sources.javaFiles(folder)) {
                    update(sha, file.getFileName().toString().getBytes(StandardCharsets.UTF_8));
                    update(sha, Files.readAllBytes(file));
                }
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A part with its length first, so that no two different lists of parts digest alike. */
    private static void update(MessageDigest sha, byte[] part) {
        sha.update(Long.toString(part.length).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) ':');
        sha.update(part);
    }
}
