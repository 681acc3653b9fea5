// Known-wrong answer to exercise 5.1: merges standard error into standard output and parses
// the first words, so a JVM note on standard error ("Picked up JAVA_TOOL_OPTIONS") breaks it.
class Processes {
    static PidReport reportPids() throws java.io.IOException, InterruptedException {
        java.util.List<String> command = java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "Processes", "pids");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) throw new IllegalStateException("child did not end");
            if (process.exitValue() != 0) throw new IllegalStateException("child failed: " + output);
            String[] words = output.split("\\s+");
            return new PidReport(process.pid(), Long.parseLong(words[1]), Long.parseLong(words[3]));
        } finally {
            process.destroyForcibly();
        }
    }
}
