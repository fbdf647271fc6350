package org.openstack.jcinder.volume.driver.target;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.config.IniFile;
import org.openstack.jcinder.testsupport.LoopVolumeGroups;
import org.openstack.jcinder.testsupport.Tgtd;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEndpoint;
import org.openstack.jcinder.volume.copy.QemuImgCopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.file.FileVolumeDriver;
import org.openstack.jcinder.volume.driver.lvm.LvmVolumeDriver;

/**
 * {@code target_helper = tgtadm} against a real, private tgtd ({@link Tgtd}), read and written through the
 * user-space initiator (libiscsi in qemu-img): Cinder's connection_info, CHAP per volume (a wrong secret and
 * another volume's credentials are refused), removal on terminate, for the file and the LVM (loop) drivers.
 */
class TgtAdmTargetTest {

    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;
    static Tgtd tgtd;
    @TempDir
    static Path dir;
    private final QemuImgCopyEngine qemu = new QemuImgCopyEngine(0);

    @BeforeAll
    static void startTgtd() throws Exception {
        tgtd = Tgtd.start();
    }

    @AfterAll
    static void stopTgtd() throws Exception {
        if (tgtd != null) {
            tgtd.close();
        }
    }

    private static String conf(String backendLines) {
        return String.join("\n", "[DEFAULT]", "host = h1", "state_path = " + dir, "enabled_backends = b",
                "[b]", backendLines, "target_helper = tgtadm", "target_ip_address = " + tgtd.address(),
                "target_port = " + tgtd.port(), "tgt_control_port = " + tgtd.controlPort());
    }

    private static CinderConfig config(String backendLines) {
        return CinderConfig.from(IniFile.parse(Path.of("t.conf"), List.of(conf(backendLines).split("\n"))));
    }

    private static VolumeEntity volume(int sizeGb) {
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(sizeGb);
        v.setStatus(VolumeStatus.AVAILABLE);
        return v;
    }

    private static TgtAdmTarget target(CinderConfig c) {
        return (TgtAdmTarget) VolumeTargets.forBackend(c, c.backends().get("b"));
    }

    private static Path randomFile(Path file, long bytes, long seed) throws Exception {
        byte[] buf = new byte[(int) MIB];
        Random r = new Random(seed);
        try (var out = Files.newOutputStream(file)) {
            for (long done = 0; done < bytes; done += buf.length) {
                r.nextBytes(buf);
                out.write(buf);
            }
        }
        return file;
    }

    private static String sha256(Path file, long bytes) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        byte[] buf = new byte[(int) MIB];
        try (var in = Files.newInputStream(file)) {
            long left = bytes;
            while (left > 0) {
                int n = in.read(buf, 0, (int) Math.min(buf.length, left));
                if (n < 0) {
                    break;
                }
                md.update(buf, 0, n);
                left -= n;
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void halfRemovedExportsAreListedAndRemovedWhicheverHalfIsLeft() throws Exception {
        // A crash between the two steps of a removal (target, then file) or of an export (file, then target):
        // the volume's deletion must still succeed, and the export reconciler must see what is left.
        Path backing = randomFile(dir.resolve("half.img"), 4 * MIB, 7);
        Path backing2 = randomFile(dir.resolve("half2.img"), 4 * MIB, 8);
        TgtAdmTarget target = target(config("volume_driver = file"));
        target.setup();
        VolumeEntity fileOnly = volume(1);
        VolumeEntity targetOnly = volume(1);
        target.export(fileOnly, new ConnectionInfo("file", backing.toString()));
        target.export(targetOnly, new ConnectionInfo("file", backing2.toString()));
        Path fileOfFileOnly = target.settings().volumesDir().resolve(fileOnly.backendName());
        Path fileOfTargetOnly = target.settings().volumesDir().resolve(targetOnly.backendName());
        new ProcessBuilder("tgt-admin", "-C", Integer.toString(tgtd.controlPort()), "--delete",
                target.iqn(fileOnly), "-f").inheritIO().start().waitFor();
        Files.delete(fileOfTargetOnly);
        assertThat(target.exported(target.iqn(fileOnly))).isFalse();
        assertThat(fileOfFileOnly).exists();

        List<VolumeTarget.Export> exports = target.exports();
        assertThat(exports).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo(fileOnly.backendName());
            assertThat(e.written()).isNotNull();
        });
        assertThat(exports).anySatisfy(e -> {
            assertThat(e.name()).isEqualTo(targetOnly.backendName());
            assertThat(e.written()).isNull();
        });

        target.removeExport(fileOnly);
        target.removeExport(targetOnly.backendName());
        assertThat(fileOfFileOnly).doesNotExist();
        assertThat(target.exported(target.iqn(targetOnly))).isFalse();
        assertThat(target.exports()).noneMatch(e -> e.name().equals(fileOnly.backendName())
                || e.name().equals(targetOnly.backendName()));
    }

    @Test
    void exportAnswersCindersIscsiConnectionInfoAndRemovesItOnTerminate() throws Exception {
        Path backing = randomFile(dir.resolve("a.img"), 16 * MIB, 1);
        TgtAdmTarget target = target(config("volume_driver = file"));
        target.setup();
        VolumeEntity v = volume(1);
        ConnectionInfo info = target.export(v, new ConnectionInfo("file", backing.toString()));

        String iqn = "iqn.2010-10.org.openstack:volume-" + v.getId();
        assertThat(info.driverVolumeType()).isEqualTo("iscsi");
        assertThat(info.data()).containsEntry("target_portal", "127.0.0.1:" + tgtd.port())
                .containsEntry("target_iqn", iqn).containsEntry("target_lun", 1)
                .containsEntry("target_discovered", false).containsEntry("volume_id", v.getId())
                .containsEntry("auth_method", "CHAP").containsKeys("auth_username", "auth_password");
        assertThat((String) info.data().get("auth_password")).hasSize(16);
        assertThat(tgtd.show()).contains("Target 1: " + iqn).contains("Backing store path: " + backing)
                .contains(info.data().get("auth_username").toString());
        Path file = dir.resolve("volumes").resolve("b").resolve("volume-" + v.getId());
        assertThat(Files.readString(file)).contains("<target " + iqn + ">", "backing-store " + backing,
                "driver iscsi", "incominguser " + info.data().get("auth_username") + " "
                        + info.data().get("auth_password"), "write-cache on", "scsi_sn " + v.getId());
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        // A second initialize_connection of an exported volume answers the same target and credentials.
        assertThat(target.export(v, new ConnectionInfo("file", backing.toString()))).isEqualTo(info);

        // Read and written through libiscsi: byte for byte.
        Path copy = dir.resolve("a.copy");
        Files.write(copy, new byte[0]);
        try (RandomAccessFile f = new RandomAccessFile(copy.toFile(), "rw")) {
            f.setLength(16 * MIB);
        }
        long[] last = {0};
        qemu.copy(CopyEndpoint.of(info), new CopyEndpoint.Local(copy), 16 * MIB, false, b -> last[0] = b,
                CopyControl.none());
        assertThat(sha256(copy, 16 * MIB)).isEqualTo(sha256(backing, 16 * MIB));
        assertThat(last[0]).isEqualTo(16 * MIB);
        Path fresh = randomFile(dir.resolve("b.img"), 16 * MIB, 2);
        qemu.copy(new CopyEndpoint.Local(fresh), CopyEndpoint.of(info), 16 * MIB, false, b -> { },
                CopyControl.none());
        assertThat(sha256(backing, 16 * MIB)).isEqualTo(sha256(fresh, 16 * MIB));

        target.removeExport(v);
        assertThat(tgtd.show()).doesNotContain(iqn);
        assertThat(file).doesNotExist();
        assertThatThrownBy(() -> qemu.probe(CopyEndpoint.of(info))).isInstanceOf(VolumeDriverException.class);
        target.removeExport(v); // repeatable
    }

    @Test
    void aWrongSecretAndAnotherVolumesCredentialsAreRefused() throws Exception {
        TgtAdmTarget target = target(config("volume_driver = file"));
        VolumeEntity a = volume(1);
        VolumeEntity b = volume(1);
        ConnectionInfo ia = target.export(a, new ConnectionInfo("file",
                randomFile(dir.resolve("x.img"), 4 * MIB, 3).toString()));
        ConnectionInfo ib = target.export(b, new ConnectionInfo("file",
                randomFile(dir.resolve("y.img"), 4 * MIB, 4).toString()));
        try {
            CopyEndpoint.Iscsi good = (CopyEndpoint.Iscsi) CopyEndpoint.of(ia);
            assertThat(qemu.probe(good)).isEqualTo(4 * MIB);
            CopyEndpoint.Iscsi wrongSecret = new CopyEndpoint.Iscsi(good.portal(), good.iqn(), good.lun(),
                    good.user(), good.password() + "x");
            assertThatThrownBy(() -> qemu.probe(wrongSecret)).hasMessageContaining("Authentication failure");
            CopyEndpoint.Iscsi othersCredentials = new CopyEndpoint.Iscsi(good.portal(), good.iqn(), good.lun(),
                    ib.data().get("auth_username").toString(), ib.data().get("auth_password").toString());
            assertThatThrownBy(() -> qemu.probe(othersCredentials)).hasMessageContaining("Authentication failure");
            CopyEndpoint.Iscsi none = new CopyEndpoint.Iscsi(good.portal(), good.iqn(), good.lun(), null, null);
            assertThatThrownBy(() -> qemu.probe(none)).isInstanceOf(VolumeDriverException.class);
        } finally {
            target.removeExport(a);
            target.removeExport(b);
        }
    }

    @Test
    void theFileDriverExportsThroughTheTargetAndReleasesOnTerminate() throws Exception {
        CinderConfig c = config("volume_driver = file\nfile_volume_dir = " + dir.resolve("files"));
        VolumeDriver driver = VolumeTargets.exported(c, c.backends().get("b"),
                new FileVolumeDriver(c, c.backends().get("b")));
        driver.setup();
        VolumeEntity v = volume(1);
        driver.createVolume(v);
        try {
            ConnectionInfo info = driver.initializeConnection(v);
            assertThat(info.exported()).isTrue();
            Path data = randomFile(dir.resolve("f.img"), 8 * MIB, 5);
            qemu.copy(new CopyEndpoint.Local(data), CopyEndpoint.of(info), 8 * MIB, false, b -> { },
                    CopyControl.none());
            assertThat(sha256(Path.of(info.path()), 8 * MIB)).isEqualTo(sha256(data, 8 * MIB));
            driver.terminateConnection(v);
            assertThat(tgtd.show()).doesNotContain(v.getId());
        } finally {
            driver.deleteVolume(v);
        }
    }

    @Test
    void aLoopActivatedLvIsExportedAndItsLoopReleasedOnTerminate() throws Exception {
        String vg = "jc-t-" + UUID.randomUUID().toString().substring(0, 6);
        try (LoopVolumeGroups vgs = LoopVolumeGroups.create(2 * GIB, vg)) {
            CinderConfig c = config("volume_driver = lvm\nvolume_group = " + vg + "\nlvm_activation = loop\nvolume_clear = none");
            VolumeDriver driver = VolumeTargets.exported(c, c.backends().get("b"),
                    new LvmVolumeDriver(c, c.backends().get("b")));
            driver.setup();
            VolumeEntity v = volume(1);
            driver.createVolume(v);
            try {
                ConnectionInfo info = driver.initializeConnection(v);
                assertThat(info.data()).containsEntry("target_iqn", "iqn.2010-10.org.openstack:volume-" + v.getId());
                assertThat(info.path()).startsWith("/dev/loop");
                assertThat(qemu.probe(CopyEndpoint.of(info))).isEqualTo(GIB);
                Path data = randomFile(dir.resolve("l.img"), 32 * MIB, 6);
                qemu.copy(new CopyEndpoint.Local(data), CopyEndpoint.of(info), 32 * MIB, false, b -> { },
                        CopyControl.none());
                assertThat(sha256(Path.of(info.path()), 32 * MIB)).isEqualTo(sha256(data, 32 * MIB));
                driver.terminateConnection(v);
                assertThat(tgtd.show()).doesNotContain(v.getId());
                assertThat(vgs.stackedLoops()).isZero();
            } finally {
                driver.deleteVolume(v);
            }
        }
    }
}
