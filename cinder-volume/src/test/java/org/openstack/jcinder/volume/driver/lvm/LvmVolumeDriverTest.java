package org.openstack.jcinder.volume.driver.lvm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.testsupport.LoopVolumeGroups;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.driver.VolumeDriver.MoveResult;

/**
 * The LVM driver on real lvm2: two volume groups on loop-device PVs (sparse image files), loop activation
 * because this machine kind has no device-mapper ({@link LoopVolumeGroups}).
 */
class LvmVolumeDriverTest {

    private static final long GIB = 1L << 30;
    static final String run = UUID.randomUUID().toString().substring(0, 6);
    static final String vgA = "jc-a-" + run;
    static final String vgB = "jc-b-" + run;
    static LoopVolumeGroups vgs;
    static LvmVolumeDriver a;
    static LvmVolumeDriver b;

    @BeforeAll
    static void volumeGroups() throws Exception {
        vgs = LoopVolumeGroups.create(4 * GIB, vgA, vgB);
        CinderConfig config = CinderConfig.from(IniFile.parse(Path.of("lvm.conf"), List.of("[DEFAULT]",
                "host = h1", "enabled_backends = lvm-a, lvm-b",
                "[lvm-a]", "volume_driver = cinder.volume.drivers.lvm.LVMVolumeDriver", "volume_group = " + vgA,
                "lvm_activation = loop", "volume_clear_size = 16",
                "[lvm-b]", "volume_driver = lvm", "volume_group = " + vgB, "lvm_activation = loop")));
        a = new LvmVolumeDriver(config, config.backends().get("lvm-a"));
        b = new LvmVolumeDriver(config, config.backends().get("lvm-b"));
        a.setup();
        b.setup();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (vgs != null) {
            vgs.close();
        }
    }

    private static VolumeEntity volume(int sizeGb) {
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(sizeGb);
        v.setStatus(VolumeStatus.AVAILABLE);
        return v;
    }

    private static String lvs(String vg) throws Exception {
        return LoopVolumeGroups.sh("lvs", "--driverloaded", "n", "--noheadings", "-o", "lv_name", vg);
    }

    private static String digest(Path device, long bytes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[1 << 20];
        try (var in = Files.newInputStream(device)) {
            long left = bytes;
            for (int n; left > 0 && (n = in.read(buf, 0, (int) Math.min(buf.length, left))) > 0; left -= n) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void reportsCapacityAndLocationInfoAsCindersDriver() {
        var stats = a.stats();
        assertThat(stats.serviceHost()).isEqualTo("h1@lvm-a");
        assertThat(stats.pools()).singleElement().satisfies(p -> {
            assertThat(p.locationInfo()).isEqualTo("LVMVolumeDriver:h1:" + vgA + ":default:0");
            assertThat(p.totalCapacityGb()).isBetween(3.9, 4.0);
            assertThat(p.thickProvisioningSupport()).isTrue();
        });
    }

    @Test
    void migratesNativelyBetweenVolumeGroupsWithTheSameBytes() throws Exception {
        VolumeEntity v = volume(1);
        a.createVolume(v);
        assertThat(lvs(vgA)).contains("volume-" + v.getId());
        Path src = Path.of(a.initializeConnection(v).path());
        Random random = new Random(3);
        try (RandomAccessFile f = new RandomAccessFile(src.toFile(), "rw")) {
            for (long offset : new long[] {0, 123 << 20, GIB - 4096}) {
                byte[] data = new byte[4096];
                random.nextBytes(data);
                f.seek(offset);
                f.write(data);
            }
        }
        String before = digest(src, GIB);
        Map<String, Object> caps = Map.of("location_info", b.stats().pools().get(0).locationInfo());
        MoveResult moved = a.migrateVolume(v, BackendHost.parse("h1@lvm-b#lvm-b"), caps, CopyControl.none());
        assertThat(moved.moved()).isTrue();
        assertThat(moved.providerLocation()).isEqualTo("/dev/" + vgB + "/volume-" + v.getId());
        assertThat(lvs(vgA)).doesNotContain("volume-" + v.getId());
        assertThat(lvs(vgB)).contains("volume-" + v.getId());
        assertThat(digest(Path.of(b.initializeConnection(v).path()), GIB)).isEqualTo(before);
        b.deleteVolume(v);
        assertThat(lvs(vgB)).doesNotContain("volume-" + v.getId());
    }

    private static String lvSize(String vg, String lv) throws Exception {
        return LoopVolumeGroups.last(LoopVolumeGroups.sh("lvs", "--driverloaded", "n", "--noheadings", "--units", "b",
                "--nosuffix", "-o", "lv_size", vg + "/" + lv));
    }

    @Test
    void extendsAnLvKeepingItsBytesAndRefusesWhenNoContiguousRoomIsLeft() throws Exception {
        VolumeEntity v = volume(1);
        a.createVolume(v);
        Path dev = Path.of(a.initializeConnection(v).path());
        byte[] data = new byte[1 << 20];
        new Random(5).nextBytes(data);
        try (RandomAccessFile f = new RandomAccessFile(dev.toFile(), "rw")) {
            f.seek(GIB - data.length);
            f.write(data);
        }
        String before = digest(dev, GIB);

        a.extendVolume(v, 2);
        assertThat(lvSize(vgA, "volume-" + v.getId())).isEqualTo(Long.toString(2 * GIB));
        Path grown = Path.of(a.initializeConnection(v).path());
        assertThat(LoopVolumeGroups.sh("blockdev", "--getsize64", grown.toString())).isEqualTo(Long.toString(2 * GIB));
        assertThat(digest(grown, GIB)).isEqualTo(before);

        // Another LV right behind it: with loop activation the LV cannot grow in pieces, and lvm2 says why.
        VolumeEntity neighbour = volume(1);
        a.createVolume(neighbour);
        assertThatThrownBy(() -> a.extendVolume(v, 3)).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("lvextend").hasMessageContaining("contiguous");
        assertThat(lvSize(vgA, "volume-" + v.getId())).isEqualTo(Long.toString(2 * GIB));
        a.deleteVolume(neighbour);
        a.deleteVolume(v);
    }

    @Test
    void renamesTheMigratedLvToTheVolumesOwnNameOnlyWhenItWasAvailable() throws Exception {
        VolumeEntity source = volume(1);
        VolumeEntity tmp = volume(1);
        b.createVolume(tmp);
        assertThat(b.updateMigratedVolume(source, tmp, VolumeStatus.IN_USE).renamed()).isFalse();
        assertThat(lvs(vgB)).contains("volume-" + tmp.getId());

        var name = b.updateMigratedVolume(source, tmp, VolumeStatus.AVAILABLE);
        assertThat(name.renamed()).isTrue();
        assertThat(name.providerLocation()).isEqualTo("/dev/" + vgB + "/volume-" + source.getId());
        assertThat(lvs(vgB)).contains("volume-" + source.getId()).doesNotContain("volume-" + tmp.getId());

        // The name is taken now: a second rename into it fails, and the driver keeps the temporary name.
        VolumeEntity other = volume(1);
        b.createVolume(other);
        assertThat(b.updateMigratedVolume(source, other, VolumeStatus.AVAILABLE).renamed()).isFalse();
        assertThat(lvs(vgB)).contains("volume-" + other.getId());
        b.deleteVolume(other);
        b.deleteVolume(source);
    }

    @Test
    void followsCindersRulesForWhatItCannotMove() {
        VolumeEntity v = volume(1);
        assertThat(a.migrateVolume(v, BackendHost.parse("h2@lvm-b"), Map.of("location_info",
                "LVMVolumeDriver:h2:" + vgB + ":default:0"), CopyControl.none()).moved()).isFalse();
        assertThat(a.migrateVolume(v, BackendHost.parse("h1@f"), Map.of("location_info",
                "FileVolumeDriver:h1:/srv"), CopyControl.none()).moved()).isFalse();
        assertThatThrownBy(() -> a.migrateVolume(v, BackendHost.parse("h1@lvm-a2"), Map.of("location_info",
                "LVMVolumeDriver:h1:" + vgA + ":default:0"), CopyControl.none())).hasMessageContaining("are the same");
    }

    @Test
    void thinIsRefusedWithTheReasonAndAutoMeansThick() {
        CinderConfig config = CinderConfig.from(IniFile.parse(Path.of("lvm.conf"), List.of("[DEFAULT]",
                "host = h1", "enabled_backends = t, auto", "[t]", "volume_driver = lvm", "volume_group = " + vgA,
                "lvm_type = thin", "[auto]", "volume_driver = lvm", "volume_group = " + vgA, "lvm_type = auto",
                "lvm_activation = loop")));
        assertThatThrownBy(() -> new LvmVolumeDriver(config, config.backends().get("t")))
                .hasMessage("lvm.conf: [t] lvm_type: 'thin' is not supported yet (thin pools are untested here); "
                        + "use default (thick LVs)");
        CinderConfig bad = CinderConfig.from(IniFile.parse(Path.of("lvm.conf"), List.of("[DEFAULT]",
                "enabled_backends = x, y", "[x]", "volume_driver = lvm", "volume_group = " + vgA, "lvm_type = fat",
                "[y]", "volume_driver = lvm", "volume_group = " + vgA, "volume_clear = shred")));
        assertThatThrownBy(() -> new LvmVolumeDriver(bad, bad.backends().get("x")))
                .hasMessage("lvm.conf: [x] lvm_type: 'fat' is not default, auto or thin");
        assertThatThrownBy(() -> new LvmVolumeDriver(bad, bad.backends().get("y")))
                .hasMessage("lvm.conf: [y] volume_clear: 'shred' is not none or zero");
        assertThat(new LvmVolumeDriver(config, config.backends().get("auto")).stats().pools().get(0).locationInfo())
                .isEqualTo("LVMVolumeDriver:h1:" + vgA + ":default:0");
    }

    @Test
    void aFullVolumeGroupAndAMissingOneAreClearErrors() {
        assertThatThrownBy(() -> a.createVolume(volume(10))).isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("insufficient free space");
        CinderConfig config = CinderConfig.from(IniFile.parse(Path.of("lvm.conf"), List.of("[DEFAULT]",
                "enabled_backends = gone", "[gone]", "volume_driver = lvm", "volume_group = jc-nope-" + run,
                "lvm_activation = loop")));
        assertThatThrownBy(() -> new LvmVolumeDriver(config, config.backends().get("gone")).setup())
                .isInstanceOf(VolumeDriverException.class)
                .hasMessageContaining("volume group jc-nope-" + run + " is not available");
    }
}
