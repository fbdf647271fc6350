package org.openstack.jcinder.volume.driver.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;

class FileVolumeDriverTest {

    @TempDir
    Path dir;

    private FileVolumeDriver driver(String... backendLines) {
        List<String> lines = new java.util.ArrayList<>(List.of("[DEFAULT]", "host = h1", "enabled_backends = f",
                "state_path = " + dir, "[f]", "volume_driver = file"));
        lines.addAll(List.of(backendLines));
        CinderConfig config = CinderConfig.from(IniFile.parse(Path.of("test.conf"), lines));
        return new FileVolumeDriver(config, config.backends().get("f"));
    }

    private static VolumeEntity volume(String id, String nameId, int size) {
        VolumeEntity v = new VolumeEntity();
        v.setId(id);
        v.setNameId(nameId);
        v.setSize(size);
        return v;
    }

    @Test
    void createsSparseFilesNamedAfterNameIdAndDeletesThemRepeatably() throws Exception {
        FileVolumeDriver d = driver("file_volume_capacity_gb = 10");
        d.setup();
        assertThat(d.directory()).isEqualTo(dir.resolve("volumes").resolve("f"));
        String location = d.createVolume(volume("v1", null, 2));
        Path file = d.directory().resolve("volume-v1");
        assertThat(location).isEqualTo(file.toString());
        assertThat(Files.size(file)).isEqualTo(2L << 30);
        // Sparse: the 2 GiB file occupies (almost) no blocks.
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        long allocated = Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip()) * 512;
        assertThat(allocated).isLessThan(1 << 20);
        d.createVolume(volume("v2", "n2", 1));
        assertThat(d.directory().resolve("volume-n2")).exists();

        BackendCapabilities stats = d.stats();
        assertThat(stats.serviceHost()).isEqualTo("h1@f");
        assertThat(stats.pools()).singleElement().satisfies(p -> {
            assertThat(p.totalCapacityGb()).isEqualTo(10.0);
            assertThat(p.provisionedCapacityGb()).isEqualTo(3.0);
            assertThat(p.freeCapacityGb()).isEqualTo(7.0);
            assertThat(p.thinProvisioningSupport()).isTrue();
        });

        d.deleteVolume(volume("v1", null, 2));
        d.deleteVolume(volume("v1", null, 2));
        assertThat(file).doesNotExist();
    }

    /** A migration's copy of a snapshot: a new sparse file of its size; an existing file is refused, untouched. */
    @Test
    void aSnapshotTargetIsANewSparseFileAndAnExistingOneIsRefused() throws Exception {
        FileVolumeDriver d = driver();
        d.setup();
        org.openstack.jcinder.common.db.SnapshotEntity s = new org.openstack.jcinder.common.db.SnapshotEntity();
        s.setId("s1");
        s.setVolumeSize(2);
        Path file = d.directory().resolve("snapshot-s1");
        assertThat(d.createSnapshotTarget(s)).isEqualTo(file.toString());
        assertThat(Files.size(file)).isEqualTo(2L << 30);
        assertThat(d.initializeSnapshotConnection(s).path()).isEqualTo(file.toString());
        Files.writeString(file, "someone's data");
        assertThatThrownBy(() -> d.createSnapshotTarget(s)).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("already exists");
        assertThat(Files.readString(file)).isEqualTo("someone's data");
        d.deleteSnapshot(s);
        assertThatThrownBy(() -> d.initializeSnapshotConnection(s)).isInstanceOf(VolumeDriverException.class);
    }

    @Test
    void revertPutsTheSnapshotsBytesBackKeepingHolesAndAMissingSnapshotLeavesTheVolumeAsItWas() throws Exception {
        FileVolumeDriver d = driver();
        d.setup();
        VolumeEntity v = volume("r1", null, 1);
        d.createVolume(v);
        Path file = d.directory().resolve("volume-r1");
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {1, 2, 3}), 0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {4, 5, 6}), 500L << 20);
        }
        org.openstack.jcinder.common.db.SnapshotEntity s = new org.openstack.jcinder.common.db.SnapshotEntity();
        s.setId("s1");
        s.setVolumeId("r1");
        s.setVolumeSize(1);
        d.createSnapshot(s, v);
        try (var ch = java.nio.channels.FileChannel.open(file, java.nio.file.StandardOpenOption.WRITE)) {
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {9, 9, 9}), 0);
            ch.write(java.nio.ByteBuffer.wrap(new byte[] {8}), 800L << 20);
        }
        d.revertToSnapshot(v, s);
        assertThat(Files.size(file)).isEqualTo(1L << 30);
        try (var ch = java.nio.channels.FileChannel.open(file)) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.allocate(3);
            ch.read(b, 0);
            assertThat(b.array()).containsExactly(1, 2, 3);
            b.clear();
            ch.read(b, 500L << 20);
            assertThat(b.array()).containsExactly(4, 5, 6);
            b.clear();
            ch.read(b, 800L << 20);
            assertThat(b.array()).containsOnly(0);
        }
        Process stat = new ProcessBuilder("stat", "-c", "%b", file.toString()).start();
        assertThat(Long.parseLong(new String(stat.getInputStream().readAllBytes()).strip()) * 512)
                .isLessThan(1 << 20);
        assertThat(d.directory().resolve("volume-r1.revert")).doesNotExist();

        s.setId("gone");
        assertThatThrownBy(() -> d.revertToSnapshot(v, s)).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("does not exist");
        try (var in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void extendGrowsTheFileKeepingItsBytesAndNeverShrinks() throws Exception {
        FileVolumeDriver d = driver();
        d.setup();
        VolumeEntity v = volume("x1", null, 1);
        d.createVolume(v);
        Path file = d.directory().resolve("volume-x1");
        Files.write(file, new byte[] {1, 2, 3}, java.nio.file.StandardOpenOption.WRITE);
        d.extendVolume(v, 3);
        assertThat(Files.size(file)).isEqualTo(3L << 30);
        try (var in = Files.newInputStream(file)) {
            assertThat(in.readNBytes(3)).containsExactly(1, 2, 3);
        }
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> d.extendVolume(v, 2))
                .hasMessageContaining("refusing to shrink");
    }

    @Test
    void unusableDirectoryIsASetupErrorWithTheReason() throws Exception {
        Path notADir = Files.writeString(dir.resolve("plain-file"), "x");
        FileVolumeDriver d = driver("file_volume_dir = " + notADir.resolve("sub"));
        assertThatThrownBy(d::setup).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("cannot create volume directory");
    }

    @Test
    void itsOptionsAreReadFromItsSectionAndABadOneNamesFileSectionAndKey() {
        FileVolumeDriver d = driver("file_volume_capacity_gb = 7", "reserved_percentage = 5",
                "max_over_subscription_ratio = 2.5");
        d.setup();
        var pool = d.stats().pools().get(0);
        assertThat(pool.totalCapacityGb()).isEqualTo(7.0);
        assertThat(pool.reservedPercentage()).isEqualTo(5);
        assertThat(pool.maxOverSubscriptionRatio()).isEqualTo(2.5);
        FileVolumeDriver defaults = driver();
        defaults.setup();
        assertThat(defaults.stats().pools().get(0).maxOverSubscriptionRatio()).isEqualTo(1.0);
        assertThatThrownBy(() -> driver("reserved_percentage = 101"))
                .hasMessage("test.conf: [f] reserved_percentage: '101' is not an integer between 0 and 100");
        assertThatThrownBy(() -> driver("max_over_subscription_ratio = lots"))
                .hasMessageStartingWith("test.conf: [f] max_over_subscription_ratio: 'lots' is not a number");
    }
}
