package course.verify;

import course.engine.Processes;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * What hostile submissions must not change, taken before and after grading them: the class's
 * folders (every byte, every link), the repository's tracked files, ~/.m2 and ~/.jbang (every
 * file's name and size; JBang's own cache aside), the JDK (the same), the files the attacks aim at,
 * the processes they start, and the console the grader printed on.
 */
record Integrity(String classDir, String repository, String m2, String jbang, String jdk) {

    static Integrity take(Path root, Path work) throws Exception {
        Path home = Path.of(System.getProperty("user.home"));
        return new Integrity(digest(work.resolve("class"), true), repository(root), digest(home.resolve(".m2"), false),
                digest(home.resolve(".jbang"), false), digest(Path.of(System.getProperty("java.home")), false));
    }

    void compare(Integrity after, byte[] console, Recorder out) throws IOException {
        out.record(classDir.equals(after.classDir), "the class's submission folders are unchanged, byte for byte", null);
        out.record(repository.equals(after.repository), "the repository's tracked files are unchanged", null);
        out.record(m2.equals(after.m2) && jbang.equals(after.jbang), "~/.m2 and ~/.jbang are unchanged (JBang's cache aside)",
                null);
        out.record(jdk.equals(after.jdk), "the JDK is unchanged (" + System.getProperty("java.home") + ")", null);
        List<String> planted = new ArrayList<>();
        for (Path marker : List.of(Path.of("/tmp"), Path.of(System.getProperty("user.home"), ".m2"),
                Path.of(System.getProperty("user.home"), ".jbang"))) {
            try (Stream<Path> files = Files.list(marker)) {
                files.filter(f -> f.getFileName().toString().startsWith("course-attack-"))
                        .forEach(f -> planted.add(f.toString()));
            }
        }
        out.record(planted.isEmpty(), "no file the attacks write (in /tmp, ~/.m2, ~/.jbang) exists outside the sandbox",
                String.join("\n", planted));
        List<String> left = new ArrayList<>();
        try (Stream<ProcessHandle> all = ProcessHandle.allProcesses()) {
            for (ProcessHandle process : all.toList()) {
                String line = process.info().commandLine().orElse("");
                if (Fixtures.markers().stream().anyMatch(line::contains) && Processes.isRunning(process)) {
                    left.add(process.pid() + " " + line);
                }
            }
        }
        out.record(left.isEmpty(), "no process a submission started is left running", String.join("\n", left));
        String text = new String(console, StandardCharsets.UTF_8);
        List<String> controls = new ArrayList<>();
        text.codePoints().filter(c -> c < 0x20 && c != '\n' && c != '\t' || c >= 0x7F && c <= 0x9F)
                .distinct().forEach(c -> controls.add(String.format("U+%04X", c)));
        out.record(controls.isEmpty(), "the console shows no control character a submission or a folder name held",
                String.join(" ", controls));
    }

    /** Every file's path and bytes (a link's target, never followed); with {@code content} false, sizes only. */
    static String digest(Path dir, boolean content) throws Exception {
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        if (!Files.isDirectory(dir)) return "absent";
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path file : walk.sorted().toList()) {
                String relative = dir.relativize(file).toString();
                if (!content && (relative.startsWith("cache") || relative.startsWith("repository/.cache"))) continue;
                sha.update(relative.getBytes(StandardCharsets.UTF_8));
                if (Files.isSymbolicLink(file)) {
                    sha.update(Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8));
                } else if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
                    if (content) sha.update(Files.readAllBytes(file));
                    else sha.update(Long.toString(Files.size(file)).getBytes(StandardCharsets.UTF_8));
                }
            }
        }
        return HexFormat.of().formatHex(sha.digest());
    }

    /** The repository's tracked files, as they are on disk now. */
    static String repository(Path root) throws Exception {
        Process git = new ProcessBuilder("git", "ls-files",
                "-z").directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        git.waitFor();
        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        for (String name : listing.split("\0")) {
            Path file = root.resolve(name);
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            if (Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) sha.update(Files.readAllBytes(file));
        }
        return HexFormat.of().formatHex(sha.digest());
    }
}
