package course.report;

import course.engine.Engine;
import course.judge.Grader;
import course.judge.Grades.LessonGrade;
import course.manifest.Manifest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * {@code grade --class DIR}: every student's lessons on one pool of jobs, each student's table
 * printed (in name order) as soon as their lessons are graded, the class JSON rewritten after
 * each student. Whatever goes wrong with one student becomes their "not graded" line.
 */
public final class ClassGrading {

    private ClassGrading() {}

    /** Each student's grades, or why they have none. */
    public record Document(Map<String, ExercismJson.Document> students, Map<String, String> notGraded) {}

    /** A student folder to grade, or the reason it will not be. */
    private record Student(String name, Path folder, String refused, List<Future<LessonGrade>> grades) {}

    public static boolean run(Engine engine, List<Manifest.Lesson> lessons, Path classDir, Path json, Path junitXml,
                              int jobs, Console out) throws IOException, InterruptedException {
        List<Path> entries;
        try (Stream<Path> list = Files.list(classDir)) {
            entries = list.filter(p -> Files.isDirectory(p) || Files.isSymbolicLink(p)).sorted().toList();
        }
        Document document = new Document(new LinkedHashMap<>(), new LinkedHashMap<>());
        List<String> summary = new ArrayList<>();
        boolean everyonePasses = true;
        try (ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, jobs))) {
            List<Student> students = entries.stream().map(entry -> student(entry, pool, engine, lessons)).toList();
            for (Student student : students) {
                out.heading(student.name());
                String refused = student.refused();
                List<LessonGrade> grades = List.of();
                if (refused == null) {
                    try {
                        grades = Grader.collect(lessons, student.grades());
                        GradeTable.print(grades, out);
                        Path xml = junitXml == null ? null : junitXml.resolve(fileName(student.name()));
                        if (xml != null) for (LessonGrade grade : grades) JunitXml.write(xml, grade);
                    } catch (IOException | RuntimeException e) {
                        refused = "the grader failed on this submission: " + e;
                    }
                }
                if (refused != null) {
                    out.line("  " + out.red("not graded") + ": " + refused);
                    document.notGraded().put(student.name(), refused);
                    summary.add(String.format("  %-24s not graded: %s", student.name(), refused));
                    everyonePasses = false;
                } else {
                    document.students().put(student.name(), ExercismJson.document(grades));
                    summary.add(summaryLine(student.name(), grades));
                    everyonePasses &= grades.stream().allMatch(LessonGrade::passed);
                }
                if (json != null) ExercismJson.write(json, document);
            }
        }
        out.heading("Class summary");
        summary.forEach(out::line);
        return everyonePasses;
    }

    private static Student student(Path entry, ExecutorService pool, Engine engine, List<Manifest.Lesson> lessons) {
        String name = Console.clean(entry.getFileName().toString());
        try {
            if (Files.isSymbolicLink(entry)) {
                return new Student(name, entry, "this folder is a symbolic link (to "
                        + Console.clean(Files.readSymbolicLink(entry)
                        .toString()) + "): not graded; grade the folder it points to under its own name", List.of());
            }
            Path folder = Grader.lessonsFolder(entry);
            if (!Files.isDirectory(folder, LinkOption.NOFOLLOW_LINKS)) return new Student(name, entry, "no lessons folder",
                    List.of());
            return new Student(name, folder, null, Grader.submit(pool, engine, lessons, folder));
        } catch (IOException | RuntimeException e) {
            return new Student(name, entry, "cannot be read: " + e.getMessage(), List.of());
        }
    }

    static String summaryLine(String name, List<LessonGrade> grades) {
        int points = grades.stream().mapToInt(LessonGrade::points).sum();
        int max = grades.stream().mapToInt(g -> g.lesson().points()).sum();
        long flagged = grades.stream().mapToLong(g -> g.suspicious().size()).sum();
        return String.format("  %-24s %d/%d points%s", name, points, max, flagged == 0 ? "" : "   (" + flagged
                + " things to look at)");
    }

    /** A folder name for a report: the student's name without anything a path could misread. */
    static String fileName(String name) {
        String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.isEmpty() || safe.startsWith(".") ? "_" + safe : safe;
    }
}
