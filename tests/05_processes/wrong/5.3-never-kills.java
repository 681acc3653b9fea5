// Known-wrong answer to exercise 5.3: gives up on a hung child after the limit and starts
// the next attempt, but never kills the hung one: it keeps running, forgotten.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts) throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            if (process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS) && process.exitValue() == 0) {
                return attempt;
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
