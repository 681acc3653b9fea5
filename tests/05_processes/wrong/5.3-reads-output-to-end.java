// Known-wrong answer to exercise 5.3: once the child has ended, reads its output to the end
// before judging it; a grandchild that shares that output keeps it open after a crash.
class Processes {
    static int supervise(java.util.List<String> command, java.time.Duration limit, int maxAttempts)
            throws java.io.IOException, InterruptedException {
        for (int attempt = 1; attempt <= maxAttempts; attempt++) {
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            try {
                Thread drainer = Thread.ofPlatform().start(() -> {
                    try (var in = process.getInputStream()) {
                        in.transferTo(java.io.OutputStream.nullOutputStream());
                    } catch (java.io.IOException ignored) {
                        // ended
                    }
                });
                boolean ended = process.waitFor(limit.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
                if (ended) drainer.join(); // all of its output before we judge it: but the output ends when the
                                           // last process holding it ends, not when the child does
                if (ended && process.exitValue() == 0) return attempt;
            } finally {
                java.util.List<ProcessHandle> descendants = process.descendants().toList();
                process.destroyForcibly();
                descendants.forEach(ProcessHandle::destroyForcibly);
                process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS);
            }
        }
        throw new IllegalStateException("gave up after " + maxAttempts + " attempts");
    }
}
