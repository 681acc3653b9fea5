// Known-wrong answer to exercise 5.1: builds the command as one string, which
// Runtime.exec(String) splits at every space, so a java whose path has spaces is not found.
class Processes {
    @SuppressWarnings("deprecation")
    static PidReport reportPids() throws java.io.IOException, InterruptedException {
        String command = java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java") + " -cp "
                + System.getProperty("java.class.path") + " Processes pids";
        Process process = Runtime.getRuntime().exec(command);
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
