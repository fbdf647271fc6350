package org.openstack.jcinder.compute.virt.libvirt;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.RecordingControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainState;
import org.openstack.jcinder.compute.virt.HypervisorException;

/**
 * The libvirt driver against a real libvirtd and QEMU (TCG): a transient domain idling in SeaBIOS with a
 * volume as vdb, swapped onto raw files and loop devices by libvirt's block copy + pivot. The scenarios of
 * SimulatedHypervisorTest; the copy under a running, writing guest is LibvirtNoLostWriteTest's.
 */
class LibvirtDriverTest {

    static final int SIZE = 32 * 1024 * 1024;

    @TempDir
    Path dir;
    LibvirtDriver driver;
    String uuid = UUID.randomUUID().toString();
    Path oldDisk;
    Path newDisk;
    byte[] original = new byte[SIZE];
    final List<Path> loops = new ArrayList<>();

    @BeforeEach
    void domain() throws Exception {
        LibvirtHost.require();
        driver = new LibvirtDriver(LibvirtHost.URI, "qemu", Duration.ofMillis(100), Duration.ofSeconds(2));
        driver.setup();
        new Random(7).nextBytes(original);
        oldDisk = Files.write(dir.resolve("old.img"), original);
        newDisk = sparse("new.img", SIZE);
        driver.spawn(new DomainSpec(uuid, "libvirt-driver-test", 96, 1));
        driver.attachDisk(uuid, new Disk("vdb", oldDisk, false, "vol-old"));
    }

    @AfterEach
    void stop() {
        if (driver != null) {
            driver.close();
        }
        loops.forEach(LibvirtHost::detachLoop);
    }

    @Test
    void swapMovesTheDomainOntoTheNewDiskWithEveryByte() throws Exception {
        assertThat(driver.state(uuid)).isEqualTo(DomainState.RUNNING);
        assertThat(driver.disk(uuid, "vdb").orElseThrow()).isEqualTo(new Disk("vdb", oldDisk, false, "vol-old"));
        RecordingControl control = new RecordingControl(8L * 1024 * 1024); // ~4 s

        driver.swapVolume(uuid, "vdb", new Disk("vdb", newDisk, false, "vol-new"), control);

        Disk now = driver.disk(uuid, "vdb").orElseThrow();
        assertThat(now.source()).isEqualTo(newDisk);
        // The guest still reads its old serial: a Cinder migration keeps the volume id, as with Nova.
        assertThat(now.serial()).isEqualTo("vol-old");
        assertThat(driver.liveXml(uuid)).contains("file='" + newDisk + "'").doesNotContain(oldDisk.toString())
                .doesNotContain("<mirror");
        assertThat(LibvirtHost.virsh("domblklist", LibvirtDriver.domainName(uuid))).contains(newDisk.toString());
        assertThat(sha256(newDisk)).isEqualTo(sha256(original));
        assertThat(control.maxCopied).isEqualTo(SIZE);
        assertThat(control.polls).as("progress reported while copying").isGreaterThan(1);
        assertThat(control.pivotNanos).as("the pivot reported with its duration").isPositive();
    }

    @Test
    void aBandwidthChangedWhileTheCopyRunsReachesTheRunningJob() throws Exception {
        RecordingControl control = new RecordingControl(1024L * 1024); // 32 s unless raised
        List<Long> seen = new ArrayList<>();
        control.onProgress = copied -> {
            seen.add(jobBandwidth());
            if (copied > 0) {
                control.bandwidth = 64L * 1024 * 1024;
            }
        };
        driver.swapVolume(uuid, "vdb", new Disk("vdb", newDisk, false, "vol-new"), control);

        assertThat(seen).as("the job's bandwidth as libvirt reports it, per poll").contains(1024L * 1024)
                .contains(64L * 1024 * 1024);
        assertThat(sha256(newDisk)).isEqualTo(sha256(original));
    }

    @Test
    void loopDevicesOnAPersistentDomainStayPersistentWithTheNewDisk() throws Exception {
        driver.destroy(uuid);
        Path src = attach(oldDisk);
        Path dst = attach(newDisk);
        String name = LibvirtDriver.domainName(uuid);
        Path xml = Files.writeString(dir.resolve("persistent.xml"), DomainXml.domain(name,
                new DomainSpec(uuid, "persistent", 96, 1), "qemu", List.of(new Disk("vdb", src, true, "vol-old")),
                java.util.Optional.empty()));
        LibvirtHost.virsh("define", xml.toString());
        try {
            LibvirtHost.virsh("start", name);
            assertThat(driver.persistent(uuid)).isTrue();

            driver.swapVolume(uuid, "vdb", new Disk("vdb", dst, true, "vol-new"), new RecordingControl(16L << 20));

            assertThat(driver.disk(uuid, "vdb").orElseThrow()).isEqualTo(new Disk("vdb", dst, true, "vol-old"));
            assertThat(driver.persistent(uuid)).as("redefined after the copy").isTrue();
            assertThat(LibvirtHost.virsh("dumpxml", "--inactive", name)).contains("dev='" + dst + "'")
                    .doesNotContain("dev='" + src + "'");
            assertThat(sha256(dst)).isEqualTo(sha256(original));
        } finally {
            driver.destroy(uuid);
        }
        assertThat(driver.state(uuid)).isEqualTo(DomainState.MISSING);
    }

    @Test
    void aDestinationSmallerThanTheDiskIsRefusedBeforeAnythingIsCopied() throws Exception {
        Path small = sparse("small.img", SIZE / 2);
        assertThatThrownBy(() -> driver.swapVolume(uuid, "vdb", new Disk("vdb", small, false, "v"),
                BlockCopyControl.NONE)).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("has " + SIZE / 2 + " bytes, the disk has " + SIZE);
        assertThat(driver.disk(uuid, "vdb").orElseThrow().source()).isEqualTo(oldDisk);
        assertThat(Files.size(small)).isEqualTo(SIZE / 2);
    }

    @Test
    void aLargerDestinationTakesTheCopyAndTheGuestKeepsItsCapacity() throws Exception {
        Path big = sparse("big.img", 2 * SIZE);
        driver.swapVolume(uuid, "vdb", new Disk("vdb", big, false, "v"), BlockCopyControl.NONE);

        assertThat(driver.disk(uuid, "vdb").orElseThrow().source()).isEqualTo(big);
        assertThat(LibvirtHost.virsh("domblkinfo", LibvirtDriver.domainName(uuid), "vdb"))
                .containsPattern("Capacity:\\s+" + SIZE);
        byte[] head = new byte[SIZE];
        try (RandomAccessFile f = new RandomAccessFile(big.toFile(), "r")) {
            f.readFully(head);
        }
        assertThat(sha256(head)).isEqualTo(sha256(original));
    }

    @Test
    void cancellingLeavesTheDomainOnItsOldDisk() throws Exception {
        RecordingControl control = new RecordingControl(4L * 1024 * 1024);
        control.cancelAfter = 2L * 1024 * 1024;
        assertThatThrownBy(() -> driver.swapVolume(uuid, "vdb", new Disk("vdb", newDisk, false, "v"), control))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("cancelled")
                .hasMessageContaining("stays on " + oldDisk);

        assertThat(driver.disk(uuid, "vdb").orElseThrow().source()).isEqualTo(oldDisk);
        assertThat(driver.liveXml(uuid)).doesNotContain("<mirror");
        assertThat(LibvirtHost.virsh("blockjob", LibvirtDriver.domainName(uuid), "vdb")).contains("No current block job");
        assertThat(sha256(oldDisk)).isEqualTo(sha256(original));
        // And the disk can be swapped again afterwards: nothing of the aborted job is left behind.
        driver.swapVolume(uuid, "vdb", new Disk("vdb", newDisk, false, "v"), BlockCopyControl.NONE);
        assertThat(driver.disk(uuid, "vdb").orElseThrow().source()).isEqualTo(newDisk);
    }

    @Test
    void theDomainDisappearingMidCopyFailsTheJob() {
        RecordingControl control = new RecordingControl(4L * 1024 * 1024);
        control.onProgress = copied -> {
            if (copied > 2L * 1024 * 1024) {
                driver.destroy(uuid);
            }
        };
        assertThatThrownBy(() -> driver.swapVolume(uuid, "vdb", new Disk("vdb", newDisk, false, "v"), control))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("disappeared");
        assertThat(driver.state(uuid)).isEqualTo(DomainState.MISSING);
    }

    @Test
    void aDiskHotPlugsButAGuestWithoutAnOsNeverReleasesIt() throws Exception {
        Path extra = sparse("extra.img", SIZE);
        driver.attachDisk(uuid, new Disk("vdc", extra, false, "vol-extra"));
        assertThat(driver.disk(uuid, "vdc").orElseThrow().source()).isEqualTo(extra);

        // SeaBIOS does not answer the ACPI eject request; the driver must say so, not pretend.
        assertThatThrownBy(() -> driver.detachDisk(uuid, "vdc")).isInstanceOf(HypervisorException.class)
                .hasMessageContaining("did not release vdc");
        driver.detachDisk(uuid, "vdz"); // absent: nothing to do
    }

    @Test
    void aSwapOfADiskTheDomainDoesNotHaveFails() {
        assertThatThrownBy(() -> driver.swapVolume(uuid, "vdq", new Disk("vdq", newDisk, false, "v"),
                BlockCopyControl.NONE)).isInstanceOf(HypervisorException.class).hasMessageContaining("has no disk vdq");
        assertThatThrownBy(() -> driver.swapVolume("no-such-instance", "vdb", new Disk("vdb", newDisk, false, "v"),
                BlockCopyControl.NONE)).isInstanceOf(HypervisorException.class).hasMessageContaining("does not exist");
    }

    @Test
    void aVirtTypeTheHostCannotRunIsRefusedAtSetup() {
        if (Files.exists(Path.of("/dev/kvm"))) {
            return; // this host offers kvm; the refusal cannot be shown here
        }
        try (LibvirtDriver kvm = new LibvirtDriver(LibvirtHost.URI, "kvm", Duration.ofMillis(500),
                Duration.ofSeconds(1))) {
            assertThatThrownBy(kvm::setup).isInstanceOf(HypervisorException.class)
                    .hasMessageContaining("virt_type = kvm is not offered").hasMessageContaining("virt_type = qemu");
        }
    }

    private long jobBandwidth() {
        try {
            Matcher m = Pattern.compile("Bandwidth limit: (\\d+)").matcher(
                    LibvirtHost.virsh("blockjob", LibvirtDriver.domainName(uuid), "vdb", "--info", "--bytes"));
            return m.find() ? Long.parseLong(m.group(1)) : -1;
        } catch (Exception e) {
            return -1;
        }
    }

    private Path attach(Path file) throws Exception {
        Path loop = LibvirtHost.attachLoop(file);
        loops.add(loop);
        return loop;
    }

    private Path sparse(String name, long size) throws Exception {
        Path p = dir.resolve(name);
        try (RandomAccessFile f = new RandomAccessFile(p.toFile(), "rw")) {
            f.setLength(size);
        }
        return p;
    }

    static String sha256(Path p) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        try (var in = Files.newInputStream(p)) {
            byte[] buf = new byte[1 << 20];
            for (int n; (n = in.read(buf)) > 0; ) {
                md.update(buf, 0, n);
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    static String sha256(byte[] data) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(data));
    }
}
