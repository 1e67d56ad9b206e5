package io.github.yototokenkeeper.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

/** Is a directory on a mounted volume (Railway's /data), or on the container's throw-away disk? Linux only. */
public final class MountPoints {

    private MountPoints() {
    }

    /** The mount points listed in {@code /proc/self/mounts}, or empty where that file does not exist. */
    public static Optional<Set<Path>> current() {
        Path mounts = Path.of("/proc/self/mounts");
        try {
            return Optional.of(parse(Files.readAllLines(mounts)));
        } catch (IOException | SecurityException notLinux) {
            return Optional.empty();
        }
    }

    /** The second field of each line, with the octal escapes of /proc/mounts (\040 for a space) decoded. */
    public static Set<Path> parse(List<String> lines) {
        return lines.stream().map(line -> line.split(" "))
                .filter(fields -> fields.length > 1)
                .map(fields -> Path.of(fields[1].replace("\\040", " ").replace("\\011", "\t")))
                .collect(Collectors.toSet());
    }

    /** True when {@code directory} or one of its parents, other than the root, is a mount point. */
    public static boolean isOnVolume(Path directory, Set<Path> mountPoints) {
        for (Path current = directory.toAbsolutePath().normalize(); current != null && current.getParent() != null; current = current.getParent()) {
            if (mountPoints.contains(current)) {
                return true;
            }
        }
        return false;
    }
}
