package course.cli;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import course.engine.Processes;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jbang bench}: how long a learner waits, for each command of the learning loop, beside
 * its floor: the same compiled class started with a plain {@code java -cp}, without JBang. Warm
 * runs only (one warm-up first); median and spread of {@code --runs}. A benchmark for
 * maintainers to run and compare, not a test: it passes or fails nothing.
 */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Time the learning loop (lesson start, hint, check, watch) against its floor, a plain java -cp start of "
                + "the same compiled class: median and spread of warm runs.")
public final class BenchCommand implements Callable<Integer> {

    @Option(names = "--runs", description = "warm runs per row (default: ${DEFAULT-VALUE})")
    int runs = 5;

    @Option(names = "--lesson", paramLabel = "NN", description = "the lesson whose start is timed (default: ${DEFAULT-VALUE})")
    String lesson = "03";

    @Option(names = "--check", paramLabel = "NN", description = "the lesson whose check is timed (default: ${DEFAULT-VALUE})")
    String checked = "01";

    /** A command, and whether its time is to the first line it prints or to its end. */
    record Row(String what, List<String> command, List<String> floor, boolean firstLine, boolean kept, boolean server) {
        Row(String what, List<String> command, List<String> floor, boolean firstLine, boolean kept) {
            this(what, command, floor, firstLine, kept, false);
        }
    }

    @Override
    public Integer call() throws Exception {
        Path root = Cli.root();
        var manifest = course.manifest.Manifest.load(root);
        var chosen = Cli.select(manifest, List.of(lesson)).getFirst();
        String lessonFile = "lessons/" + chosen.fileName();
        String hint = chosen.exercises().getFirst().id();
        String check = Cli.select(manifest, List.of(checked)).getFirst().id();
        Path state = root.resolve(HintCommand.STATE).resolve(hint);
        byte[] savedHints = Files.isRegularFile(state) ? Files.readAllBytes(state) : null;
        try {
            List<String> lessonFloor = floor(root, lessonFile, List.of());
            List<String> toolFloor = floor(root, "course/Course.java", List.of());
            List<Row> rows = new ArrayList<>();
            for (boolean kept : List.of(false, true)) {
                String how = kept ? "" : ", JBang asked";
                rows.add(new Row("./jbang " + lessonFile + ", first line" + how, List.of("./jbang", lessonFile),
                        lessonFloor, true, kept));
                rows.add(new Row("./jbang " + chosen.alias() + ", first line" + how, List.of("./jbang", chosen.alias()),
                        lessonFloor, true, kept));
                rows.add(new Row("./jbang hint " + hint + how, List.of("./jbang", "hint", hint), plus(toolFloor, "hint", hint),
                        false, kept));
                rows.add(new Row("./jbang check " + check + how + ", no server", List.of("./jbang", "check", check),
                        plus(toolFloor, "check", check), false, kept));
                rows.add(new Row("./jbang check " + check + how, List.of("./jbang", "check", check),
                        plus(toolFloor, "check", check), false, kept, true));
            }
            System.out.printf("%d warm runs each, after one warm-up; load average %.2f on %d cores%n%n", runs,
                    java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage(),
                    Runtime.getRuntime().availableProcessors());
            System.out.printf("%-56s %22s %22s %7s%n", "what", "median (min-max)", "floor: java -cp", "ratio");
            for (Row row : rows) {
                double[] took = times(root, row.command(), row.firstLine(), row.kept(), row.server());
                double[] floorTook = times(root, row.floor(), row.firstLine(), true, row.server());
                System.out.printf("%-56s %22s %22s %6.1fx%n", row.what(), spread(took), spread(floorTook),
                        median(took) / median(floorTook));
            }
            String checkedFile = "lessons/" + Cli.select(manifest, List.of(checked)).getFirst().fileName();
            for (boolean standby : List.of(false, true)) {
                double[] watched = watchTimes(root, check, checkedFile, standby);
                System.out.printf("%-56s %22s %22s %7s%n", "./jbang watch " + check + ", save to verdict"
                        + (standby ? "" : ", no standby"), spread(watched), "-", "-");
            }
            System.out.println("\n\"JBang asked\": with COURSE_LAUNCHER_CACHE=off, the launcher does not start the command it "
                    + "kept (see ./jbang).");
            System.out.println("check: \"no server\" with COURSE_STANDBY=off; else check's server answers (see CheckServer), "
                    + PAUSE.toSeconds() + " s after the last check (a learner's edit), its job's JVM started and warm by then.");
            System.out.println("watch: the file saved unchanged, " + PAUSE.toSeconds() + " s after the last verdict (a "
                    + "learner's edit); the next check's JVM is started and warm by then, unless COURSE_STANDBY=off.");
            System.out.println("verify is not timed here: `time ./jbang verify`, and the time of each check it prints.");
        } finally {
            if (savedHints != null) Files.write(state, savedHints);
            else Files.deleteIfExists(state);
        }
        return Cli.PASSED;
    }

    /** How long a learner's pause between two saves is, for the watch row. */
    static final java.time.Duration PAUSE = java.time.Duration.ofSeconds(5);

    /**
     * Seconds from saving the lesson's file to watch's verdict, after one warm-up save: one watch,
     * started as a learner would (no terminal), the file written with its own content each time.
     */
    double[] watchTimes(Path root, String lesson, String file, boolean standby) throws IOException, InterruptedException {
        Path lessonFile = root.resolve(file);
        byte[] content = Files.readAllBytes(lessonFile);
        ProcessBuilder builder = new ProcessBuilder("./jbang", "watch", lesson).directory(root.toFile())
                .redirectErrorStream(true);
        builder.environment().put("NO_COLOR", "1");
        builder.environment().put("COURSE_STANDBY", standby ? "on" : "off");
        Process watch = Processes.start(builder);
        try (BufferedReader out = new BufferedReader(new InputStreamReader(watch.getInputStream(), StandardCharsets.UTF_8))) {
            awaitVerdict(out); // the first check, at start
            double[] took = new double[runs];
            for (int i = -1; i < runs; i++) {
                Thread.sleep(PAUSE);
                long begin = System.nanoTime();
                Files.write(lessonFile, content);
                awaitVerdict(out);
                if (i >= 0) took[i] = (System.nanoTime() - begin) / 1e9;
            }
            return took;
        } finally {
            Processes.endTree(watch.toHandle());
            watch.waitFor();
            Processes.done(watch);
        }
    }

    static void awaitVerdict(BufferedReader out) throws IOException {
        for (String line; (line = out.readLine()) != null; ) {
            if (line.startsWith("Waiting for the next save")) return;
        }
        throw new IOException("watch ended before its verdict");
    }

    /** The plain start of a script's compiled class: java, JBang's class path, its main class. */
    static List<String> floor(Path root, String script, List<String> args) throws IOException, InterruptedException {
        Process info = new ProcessBuilder("./jbang", "info", "tools", script).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String json = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        info.waitFor();
        JsonObject tools = JsonParser.parseString(json).getAsJsonObject();
        List<String> classPath = new ArrayList<>(List.of(tools.get("applicationJar").getAsString()));
        tools.getAsJsonArray("resolvedDependencies").forEach(dependency -> classPath.add(dependency.getAsString()));
        List<String> command = new ArrayList<>(List.of(Path.of(tools.get("availableJdkPath").getAsString(), "bin", "java")
                .toString()));
        if (tools.has("runtimeOptions")) tools.getAsJsonArray("runtimeOptions").forEach(o -> command.add(o.getAsString()));
        command.addAll(List.of("-cp", String.join(java.io.File.pathSeparator, classPath),
                tools.get("mainClass").getAsString()));
        command.addAll(args);
        return command;
    }

    static List<String> plus(List<String> command, String... args) {
        List<String> all = new ArrayList<>(command);
        all.addAll(List.of(args));
        return all;
    }

    /** Seconds per warm run, after one warm-up; with check's server, each after a learner's pause. */
    double[] times(Path root, List<String> command, boolean firstLine, boolean kept, boolean server) throws IOException,
            InterruptedException {
        time(root, command, firstLine, kept, server);
        double[] took = new double[runs];
        for (int i = 0; i < runs; i++) {
            if (server) Thread.sleep(PAUSE);
            took[i] = time(root, command, firstLine, kept, server);
        }
        return took;
    }

    static double time(Path root, List<String> command, boolean firstLine, boolean kept, boolean server)
            throws IOException, InterruptedException {
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(ProcessBuilder.Redirect.DISCARD);
        Map<String, String> env = builder.environment();
        env.put("NO_COLOR", "1");
        env.put("COURSE_LAUNCHER_CACHE", kept ? "on" : "off");
        env.put("COURSE_STANDBY", server ? "on" : "off");
        long begin = System.nanoTime();
        Process process = Processes.start(builder);
        long end;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            if (firstLine) {
                out.readLine();
                end = System.nanoTime();
                Processes.endTree(process.toHandle());
            } else {
                while (out.readLine() != null) {
                    // read to the end: the time is the whole command's
                }
                process.waitFor(10, TimeUnit.MINUTES);
                end = System.nanoTime();
            }
        }
        process.waitFor();
        Processes.done(process);
        return (end - begin) / 1e9;
    }

    static double median(double[] values) {
        double[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    static String spread(double[] values) {
        double min = java.util.Arrays.stream(values).min().orElse(0);
        double max = java.util.Arrays.stream(values).max().orElse(0);
        return String.format("%.2f s (%.2f-%.2f)", median(values), min, max);
    }
}
