package course.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The folder a job reads (read-only in the sandbox): its spec, each variant's source, and copies
 * of the lesson's tests and the shared test support, so the sandbox sees none of the repository.
 */
record Staging(Path dir, Path spec, List<Path> variantSources) {

    static Staging write(Path dir, String lessonFile, Path testDir, Path supportDir, List<JobRunner.Variant> variants,
                         List<String> exclude, int outputCap) throws IOException {
        Path in = Files.createDirectories(dir.resolve("in"));
        Path tests = copyJava(testDir, in.resolve("tests").resolve(testDir.getFileName()));
        Path support = copyJava(supportDir, in.resolve("support"));
        List<String> lines = new ArrayList<>(List.of("lesson " + lessonFile, "tests " + tests, "support " + support,
                "cap " + outputCap));
        for (String id : exclude) lines.add("exclude " + id);
        List<Path> sources = new ArrayList<>();
        for (int i = 0; i < variants.size(); i++) {
            JobRunner.Variant variant = variants.get(i);
            Path source = Files.createDirectories(in.resolve("variant-" + i)).resolve(lessonFile);
            Files.writeString(source, variant.source());
            sources.add(source);
            lines.add("variant " + String.join("\t", clean(variant.name()), source.toString(), clean(variant.display()),
                    variant.onlyExercise() == null ? "-" : variant.onlyExercise(),
                    variant.stopAtFirstFailure() ? "stop" : "-"));
        }
        Path spec = Files.write(in.resolve("job.spec"), lines);
        return new Staging(in, spec, List.copyOf(sources));
    }

    private static Path copyJava(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (Path file : Sources.javaFiles(from)) Files.copy(file, to.resolve(file.getFileName()));
        return to;
    }

    private static String clean(String text) {
        return text.replaceAll("[\\t\\n\\r]", " ");
    }
}
