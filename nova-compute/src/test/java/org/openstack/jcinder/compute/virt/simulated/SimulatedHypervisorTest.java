package org.openstack.jcinder.compute.virt.simulated;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openstack.jcinder.compute.virt.BlockCopyControl;
import org.openstack.jcinder.compute.virt.RecordingControl;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.openstack.jcinder.compute.virt.HypervisorException;

/**
 * The simulated hypervisor's swap on real files while a journaling guest writes: the guest ends up on the new
 * disk, no acknowledged record is lost, the rest of the data arrived intact; an aborted copy leaves the guest
 * on its old disk, still writing.
 */
class SimulatedHypervisorTest {

    static final int SIZE = 32 * 1024 * 1024;

    @TempDir
    Path dir;
    SimulatedHypervisor hv = new SimulatedHypervisor(true);
    Path oldDisk;
    Path newDisk;
    byte[] original = new byte[SIZE];

    @BeforeEach
    void disks() throws Exception {
        new Random(7).nextBytes(original);
        oldDisk = Files.write(dir.resolve("old.img"), original);
        newDisk = dir.resolve("new.img");
        try (RandomAccessFile f = new RandomAccessFile(newDisk.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        hv.spawn(new DomainSpec("i-1", "guest", 96, 1));
        hv.attachDisk("i-1", new Disk("vdb", oldDisk, false, "vol-old"));
    }

    @AfterEach
    void stop() {
        hv.close();
    }

    @Test
    void swapMovesTheGuestToTheNewDiskWithoutLosingAnAcknowledgedWrite() throws Exception {
        JournalWorkload guest = hv.workload("i-1", "vdb").orElseThrow();
        awaitRecords(guest, 50);
        RecordingControl control = new RecordingControl(16L * 1024 * 1024); // ~2 s: the guest writes throughout
        hv.swapVolume("i-1", "vdb", new Disk("vdb", newDisk, false, "vol-new"), control);

        assertThat(hv.disk("i-1", "vdb").orElseThrow().source()).isEqualTo(newDisk);
        long acknowledgedAtPivot = guest.acknowledged();
        awaitRecords(guest, acknowledgedAtPivot + 50); // and it keeps writing, now to the new disk
        guest.close();
        long acknowledged = guest.acknowledged();
        assertThat(guest.failure()).isNull();
        assertThat(acknowledged).isGreaterThan(acknowledgedAtPivot);
        assertThat(JournalWorkload.verify(newDisk, SIZE, acknowledged)).as("first lost record").isZero();

        byte[] copied = Files.readAllBytes(newDisk);
        int journalEnd = (int) (acknowledged * JournalWorkload.RECORD);
        assertThat(Arrays.equals(copied, journalEnd, SIZE, original, journalEnd, SIZE))
                .as("bytes the guest never wrote arrived unchanged").isTrue();
        // The final figures include the blocks copied with the guest paused: at least the whole disk.
        assertThat(control.maxCopied).isGreaterThanOrEqualTo(SIZE);
        assertThat(control.pivotNanos).as("the pivot reported with the time guest I/O was held").isPositive();
    }

    @Test
    void cancellingLeavesTheGuestOnItsOldDiskStillWriting() throws Exception {
        JournalWorkload guest = hv.workload("i-1", "vdb").orElseThrow();
        RecordingControl control = new RecordingControl(8L * 1024 * 1024);
        control.cancelAfter = 4L * 1024 * 1024;
        assertThatThrownBy(() -> hv.swapVolume("i-1", "vdb", new Disk("vdb", newDisk, false, "vol-new"), control))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("cancelled");

        assertThat(hv.disk("i-1", "vdb").orElseThrow().source()).isEqualTo(oldDisk);
        assertThat(control.pivotNanos).as("no pivot").isEqualTo(-1);
        long before = guest.acknowledged();
        awaitRecords(guest, before + 20);
        guest.close();
        assertThat(guest.failure()).isNull();
        assertThat(JournalWorkload.verify(oldDisk, SIZE, guest.acknowledged())).isZero();
    }

    @Test
    void aDestinationSmallerThanTheDiskIsRefusedBeforeAnythingIsCopied() throws Exception {
        Path small = dir.resolve("small.img");
        try (RandomAccessFile f = new RandomAccessFile(small.toFile(), "rw")) {
            f.setLength(SIZE / 2);
        }
        assertThatThrownBy(() -> hv.swapVolume("i-1", "vdb", new Disk("vdb", small, false, "v"), BlockCopyControl.NONE))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("has " + SIZE / 2 + " bytes");
        assertThat(hv.disk("i-1", "vdb").orElseThrow().source()).isEqualTo(oldDisk);
    }

    @Test
    void theDomainDisappearingMidCopyFailsTheJob() {
        RecordingControl control = new RecordingControl(8L * 1024 * 1024);
        control.onProgress = copied -> {
            if (copied > 2L * 1024 * 1024) {
                hv.destroy("i-1");
            }
        };
        assertThatThrownBy(() -> hv.swapVolume("i-1", "vdb", new Disk("vdb", newDisk, false, "v"), control))
                .isInstanceOf(HypervisorException.class).hasMessageContaining("disappeared");
    }

    static void awaitRecords(JournalWorkload guest, long count) throws InterruptedException {
        long deadline = System.nanoTime() + 20_000_000_000L;
        while (guest.acknowledged() < count && guest.failure() == null && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(guest.failure()).isNull();
        assertThat(guest.acknowledged()).isGreaterThanOrEqualTo(count);
    }
}
