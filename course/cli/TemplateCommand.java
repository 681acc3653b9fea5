package course.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

@Command(name = "template", mixinStandardHelpOptions = true, description = "not written yet")
public final class TemplateCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        return Cli.USAGE;
    }
}
