// Known-wrong answer to exercise 5.3: counts "restarts" instead of attempts, so with
// maxAttempts = 3 it runs the child four times before it gives up.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts) throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts + 1; attempt++) {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            try {
                if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && process.exitValue() == 0) {
                    return attempt;
                }
            } finally {
                endTree(process);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
