package course.verify;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.function.Predicate;

/**
 * The students' repository, made from this one: every file git knows (tracked, or new and not
 * ignored) but the answers and the maintainers' own material. verify builds it for the Classroom
 * part, so what a class gets is what is proven to grade.
 */
public final class Template {

    private Template() {}

    /** What a class must not get: the answers, the known-wrong answers, the attacks, our CI. */
    static final Predicate<String> LEFT_OUT = path -> path.startsWith("solutions/")
            || path.matches("tests/[^/]+/wrong/.*") || path.startsWith("tests/fixtures/")
            || path.startsWith(".ci/") || path.equals(".github/workflows/ci.yml") || path.equals("CONTRIBUTING.md");

    /** Writes the template into {@code out}; returns how many files it holds. */
    public static int write(Path root, Path out) throws IOException, InterruptedException {
        int count = 0;
        for (String file : files(root)) {
            if (LEFT_OUT.test(file) || !Files.isRegularFile(root.resolve(file))) continue;
            Path target = out.resolve(file);
            Files.createDirectories(target.getParent());
            Files.copy(root.resolve(file), target, StandardCopyOption.COPY_ATTRIBUTES);
            count++;
        }
        return count;
    }

    /** Every file git knows in {@code root}: tracked, or new and not ignored. */
    static List<String> files(Path root) throws IOException, InterruptedException {
        Process git = new ProcessBuilder("git", "ls-files", "-z", "--cached", "--others", "--exclude-standard")
                .directory(root.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String listing = new String(git.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (git.waitFor() != 0) throw new IOException("git ls-files failed in " + root + ": is it a git checkout?");
        return List.of(listing.split("\0")).stream().filter(f -> !f.isEmpty()).distinct().toList();
    }

    /** Makes {@code out} a git repository with one commit of everything in it. */
    public static void commit(Path out) throws IOException, InterruptedException {
        for (List<String> command : List.of(List.of("git", "init", "-q"), List.of("git", "add", "-A"),
                List.of("git", "-c", "user.name=course", "-c", "user.email=course@localhost", "commit", "-q", "-m",
                        "The course, for students"))) {
            Process git = new ProcessBuilder(command).directory(out.toFile()).inheritIO().start();
            if (git.waitFor() != 0) throw new IOException(String.join(" ", command) + " failed in " + out);
        }
    }
}
