package io.github.yototokenkeeper.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class MountPointsTest {

    private final Set<Path> mounts = MountPoints.parse(List.of(
            "overlay / overlay rw,relatime 0 0",
            "proc /proc proc rw,nosuid 0 0",
            "/dev/vdb /data ext4 rw,relatime 0 0",
            "/dev/vdc /mnt/my\\040volume ext4 rw 0 0"));

    @Test
    void aDirectoryOnAVolumeOrBelowOneIsOnAVolume() {
        assertThat(MountPoints.isOnVolume(Path.of("/data"), mounts)).isTrue();
        assertThat(MountPoints.isOnVolume(Path.of("/data/tokens"), mounts)).isTrue();
        assertThat(MountPoints.isOnVolume(Path.of("/mnt/my volume"), mounts)).isTrue();
    }

    @Test
    void theContainersOwnDiskIsNot() {
        assertThat(MountPoints.isOnVolume(Path.of("/app"), mounts)).isFalse();
        assertThat(MountPoints.isOnVolume(Path.of("/"), mounts)).isFalse();
        assertThat(MountPoints.isOnVolume(Path.of("/database"), mounts)).isFalse();
    }
}
