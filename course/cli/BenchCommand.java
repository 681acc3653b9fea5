package course.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "bench", mixinStandardHelpOptions = true, description = "not written yet")
public final class BenchCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Cli.USAGE;
    }
}
