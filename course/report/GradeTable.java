package course.report;

import course.engine.Text;
import course.judge.Grades.ExerciseGrade;
import course.judge.Grades.LessonGrade;
import java.util.List;

/** grade's table for people: lesson, exercise, status, points and why, then the total. */
public final class GradeTable {

    private GradeTable() {}

    private static final String ROW = "%-7s %-9s %s %7s  %s";

    public static void print(List<LessonGrade> grades, Console out) {
        out.line(String.format("%-7s %-9s %-9s %7s  %s", "lesson", "exercise", "status", "points", "why"));
        for (LessonGrade grade : grades) {
            if (grade.message() != null) {
                String message = Text.firstLines(grade.message(), 6).replace("\n", "\n" + " ".repeat(37));
                out.line(String.format(ROW, grade.lesson().id(), "-", out.red(pad(grade.status().label())), "", message));
            }
            for (ExerciseGrade exercise : grade.exercises()) {
                String label = pad(exercise.status().label());
                String status = exercise.status().passed() ? out.green(label) : out.red(label);
                // A lesson-wide problem (missing, does not compile, out of time) was shown above.
                String why = exercise.status().passed() || grade.message() != null ? "" : reason(exercise.message());
                out.line(String.format(ROW, grade.lesson().id(), exercise.exercise().id(), status,
                        exercise.points() + "/" + exercise.exercise().points(), why));
            }
            for (String finding : grade.suspicious()) {
                out.line(String.format(ROW, grade.lesson().id(), "-", out.yellow(pad("look at")), "", finding));
            }
        }
        int points = grades.stream().mapToInt(LessonGrade::points).sum();
        int max = grades.stream().mapToInt(grade -> grade.lesson().points()).sum();
        long done = grades.stream().flatMap(grade -> grade.exercises().stream()).filter(e -> e.status().passed()).count();
        long total = grades.stream().mapToLong(grade -> grade.exercises().size()).sum();
        out.line("");
        out.line(String.format("total: %d/%d points (%d%%)", points, max, max == 0 ? 0 : 100 * points / max));
        out.line(Console.progress((int) done, (int) total));
    }

    private static String pad(String label) {
        return String.format("%-9s", label);
    }

    /** The line that says why: a verdict's message starts with the failing test's name and a colon. */
    static String reason(String message) {
        if (message == null || message.isBlank()) return "";
        List<String> lines = message.strip().lines().toList();
        String line = lines.size() > 1 && lines.get(0).endsWith(":") ? lines.get(1) : lines.get(0);
        return Text.firstLine(line, 120);
    }
}
