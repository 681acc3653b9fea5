// Known-wrong answer to exercise 5.3: kills the hung child for good and waits for it, but
// not what the child started: the grandchild is orphaned and keeps running.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts) throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && process.exitValue() == 0) {
                    return attempt;
                }
            } finally {
                process.destroyForcibly();
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
