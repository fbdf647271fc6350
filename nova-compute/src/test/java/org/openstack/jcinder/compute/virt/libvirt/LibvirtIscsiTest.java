package org.openstack.jcinder.compute.virt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.openstack.jcinder.compute.virt.IscsiTarget;
import org.openstack.jcinder.compute.virt.IscsiTestTarget;
import org.openstack.jcinder.compute.virt.RecordingControl;

/**
 * The libvirt driver with iSCSI volumes exported by a real tgtd with CHAP: QEMU's own initiator (libiscsi)
 * reaches the LUN as a {@code <disk type='network'>} whose CHAP password is a libvirt secret (never in the
 * domain XML); a swap block-copies one LUN onto another byte for byte and moves the secret along.
 */
class LibvirtIscsiTest {

    static final int SIZE = 16 * 1024 * 1024;

    @TempDir
    Path dir;
    IscsiTestTarget tgtd;
    LibvirtDriver driver;
    String uuid = UUID.randomUUID().toString();
    Path oldBacking;
    Path newBacking;
    IscsiTarget oldLun;
    IscsiTarget newLun;
    byte[] original = new byte[SIZE];

    @BeforeEach
    void setUp() throws Exception {
        LibvirtHost.require();
        tgtd = IscsiTestTarget.start();
        new Random(13).nextBytes(original);
        oldBacking = Files.write(dir.resolve("old.img"), original);
        newBacking = dir.resolve("new.img");
        try (RandomAccessFile f = new RandomAccessFile(newBacking.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        oldLun = tgtd.export(oldBacking, "volume-lv-old-" + uuid.substring(0, 8));
        newLun = tgtd.export(newBacking, "volume-lv-new-" + uuid.substring(0, 8));
        driver = new LibvirtDriver(LibvirtHost.URI, "qemu", Duration.ofMillis(100), Duration.ofSeconds(2));
        driver.setup();
        driver.spawn(new DomainSpec(uuid, "libvirt-iscsi-test", 96, 1));
    }

    @AfterEach
    void tearDown() throws Exception {
        if (driver != null) {
            driver.close();
        }
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void anIscsiVolumeIsANetworkDiskWithItsSecretAndASwapCopiesLunToLun() throws Exception {
        driver.attachDisk(uuid, Disk.iscsi("vdb", oldLun, "vol-1"));

        String xml = driver.liveXml(uuid);
        assertThat(xml).contains("type='network'").contains("protocol='iscsi'")
                .contains("name='" + oldLun.iqn() + "/1'").contains("username='" + oldLun.username() + "'")
                .doesNotContain(oldLun.password());
        assertThat(driver.disk(uuid, "vdb").orElseThrow().iscsi().iqn()).isEqualTo(oldLun.iqn());
        // The secret is private (its value cannot be read back); that tgtd let QEMU in proves its value.
        assertThat(secretDefined(oldLun)).isTrue();
        assertThat(tgtd.connections(oldLun)).as("QEMU logged in with the CHAP secret").contains("Initiator");

        driver.swapVolume(uuid, "vdb", Disk.iscsi("vdb", newLun, "vol-1"), new RecordingControl(0));

        Disk now = driver.disk(uuid, "vdb").orElseThrow();
        assertThat(now.iscsi().iqn()).isEqualTo(newLun.iqn());
        assertThat(now.serial()).isEqualTo("vol-1");
        assertThat(Arrays.equals(Files.readAllBytes(newBacking), original)).as("LUN copied byte for byte").isTrue();
        assertThat(secretDefined(newLun)).isTrue();
        assertThat(secretDefined(oldLun)).as("the old LUN's secret is gone").isFalse();
        awaitNoSession(oldLun);

        driver.destroy(uuid);
        assertThat(secretDefined(newLun)).as("the secret goes with the domain").isFalse();
        awaitNoSession(newLun);
    }

    private boolean secretDefined(IscsiTarget lun) throws Exception {
        var s = driver.findSecret(DomainXml.secretUsage(lun));
        s.ifPresent(x -> {
            try {
                x.free();
            } catch (org.libvirt.LibvirtException ignored) {
                // freeing a handle
            }
        });
        return s.isPresent();
    }

    private void awaitNoSession(IscsiTarget lun) throws Exception {
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (tgtd.connections(lun).contains("Initiator") && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertThat(tgtd.connections(lun)).as("QEMU logged out of " + lun.iqn()).doesNotContain("Initiator");
    }
}
