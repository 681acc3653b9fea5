package course.cli;

import course.verify.Template;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./jbang student-template --out DIR}: the repository a class gets: lessons, tests, the tool and the
 * Classroom workflow, without solutions/, known-wrong answers, fixtures or the maintainers' CI.
 */
@Command(name = "student-template", mixinStandardHelpOptions = true,
        description = "Write the repository a class gets (no solutions/, no known-wrong answers, no fixtures) into DIR, "
                + "as a new git repository ready to push as a GitHub Classroom template.")
public final class TemplateCommand implements Callable<Integer> {

    @Option(names = "--out", paramLabel = "DIR", required = true, description = "a folder that does not exist yet")
    Path out;

    @Option(names = "--no-git", description = "do not make DIR a git repository with one commit")
    boolean noGit;

    @Override
    public Integer call() throws Exception {
        if (Files.exists(out)) throw new Cli.UsageError(out + " exists already: give a new folder");
        int files = Template.write(Cli.root(), out);
        if (!noGit) Template.commit(out);
        System.out.println("wrote " + files + " files to " + out + (noGit ? "" : ", committed as a new git repository")
                + "\nNext: push it to GitHub, mark it as a template repository, and create the assignment from it.");
        return Cli.PASSED;
    }
}
