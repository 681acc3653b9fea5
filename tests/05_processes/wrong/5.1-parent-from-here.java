// Known-wrong answer to exercise 5.1: never reads the child's output; it "reports" what
// the parent can see (its own pid, its own parent), so the child's own view is lost.
class Processes {
    static PidReport reportPids() throws java.io.IOException, InterruptedException {
        java.util.List<String> command = java.util.List.of(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "Processes", "pids");
        Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            ProcessHandle me = ProcessHandle.current();
            return new PidReport(process.pid(), me.pid(), me.parent().map(ProcessHandle::pid).orElse(-1L));
        } finally {
            process.destroyForcibly();
        }
    }
}
