package course.engine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * A folder of the system's temporary directory that only this user can use, for what the tool
 * keeps between runs outside the repository (which a student can write): whole runs for
 * {@code grade --exercise}, check's server. Not one that someone else made or opened to others.
 */
public final class OwnFolder {

    private OwnFolder() {}

    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rwx------");

    /** java.io.tmpdir/NAME-USER, made owner-only; null if it is someone else's or open to others. */
    public static Path of(String name) throws IOException {
        String user = System.getProperty("user.name", "").replaceAll("[^A-Za-z0-9_.-]", "_");
        Path folder = Path.of(System.getProperty("java.io.tmpdir"), name + "-" + user);
        try {
            if (!Files.isDirectory(folder)) {
                try {
                    Files.createDirectory(folder, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    // another run made it first: looked at below, as any other
                }
            }
            boolean ours = Files.getOwner(folder).getName().equals(System.getProperty("user.name"));
            return ours && Files.getPosixFilePermissions(folder).equals(OWNER_ONLY) && !Files.isSymbolicLink(folder)
                    ? folder : null;
        } catch (UnsupportedOperationException notPosix) {
            return null;
        }
    }
}
