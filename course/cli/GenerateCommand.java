package course.cli;

import course.manifest.Manifest;
import course.verify.Generated;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code ./jbang generate}: rewrites the files made from course.yaml. */
@Command(name = "generate", mixinStandardHelpOptions = true,
        description = "Rewrite the files made from course.yaml: jbang-catalog.json, the README's lesson table, "
                + ".github/workflows/classroom.yml.")
public final class GenerateCommand implements Callable<Integer> {

    @Override
    public Integer call() throws Exception {
        Path root = Cli.root();
        Manifest manifest = Manifest.load(root);
        for (Map.Entry<String, String> file : Generated.files(root, manifest).entrySet()) {
            Path path = root.resolve(file.getKey());
            boolean same = Files.isRegularFile(path) && Files.readString(path).equals(file.getValue());
            if (!same) Files.writeString(path, file.getValue());
            System.out.println((same ? "unchanged  " : "written    ") + file.getKey());
        }
        return Cli.PASSED;
    }
}
