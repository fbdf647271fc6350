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
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.openstack.jcinder.compute.virt.HypervisorException;
import org.openstack.jcinder.compute.virt.IscsiTarget;
import org.openstack.jcinder.compute.virt.IscsiTestTarget;
import org.openstack.jcinder.compute.virt.RecordingControl;

/**
 * The simulated hypervisor on iSCSI volumes (Cinder's {@code driver_volume_type: iscsi}) exported by a real
 * tgtd with CHAP: the guest's I/O and the swap's mirror go through the user-space initiator, the copy between
 * the two LUNs is byte for byte, no acknowledged guest write is lost, and the sessions end when they should.
 */
class SimulatedIscsiTest {

    static final int SIZE = 16 * 1024 * 1024;

    @TempDir
    Path dir;
    IscsiTestTarget tgtd;
    SimulatedHypervisor hv = new SimulatedHypervisor(true);
    Path oldBacking;
    Path newBacking;
    IscsiTarget oldLun;
    IscsiTarget newLun;
    byte[] original = new byte[SIZE];

    @BeforeEach
    void luns() throws Exception {
        tgtd = IscsiTestTarget.start();
        new Random(11).nextBytes(original);
        oldBacking = Files.write(dir.resolve("old.img"), original);
        newBacking = dir.resolve("new.img");
        try (RandomAccessFile f = new RandomAccessFile(newBacking.toFile(), "rw")) {
            f.setLength(SIZE);
        }
        oldLun = tgtd.export(oldBacking, "volume-old");
        newLun = tgtd.export(newBacking, "volume-new");
        hv.spawn(new DomainSpec("i-1", "guest", 96, 1));
    }

    @AfterEach
    void stop() throws Exception {
        hv.close();
        if (tgtd != null) {
            tgtd.close();
        }
    }

    @Test
    void swapBetweenTwoLunsCopiesEveryByteAndLosesNoAcknowledgedWrite() throws Exception {
        hv.attachDisk("i-1", Disk.iscsi("vdb", oldLun, "vol-old"));
        Disk attached = hv.disk("i-1", "vdb").orElseThrow();
        assertThat(attached.iscsi()).isEqualTo(oldLun);
        assertThat(tgtd.connections(oldLun)).as("logged into the old LUN").contains("Initiator");

        JournalWorkload guest = hv.workload("i-1", "vdb").orElseThrow();
        SimulatedHypervisorTest.awaitRecords(guest, 20);
        RecordingControl control = new RecordingControl(8L * 1024 * 1024); // ~2 s: the guest writes throughout
        hv.swapVolume("i-1", "vdb", Disk.iscsi("vdb", newLun, "vol-old"), control);

        assertThat(hv.disk("i-1", "vdb").orElseThrow().iscsi()).isEqualTo(newLun);
        assertThat(tgtd.connections(oldLun)).as("the old LUN's session ended at the pivot")
                .doesNotContain("Initiator");
        long atPivot = guest.acknowledged();
        SimulatedHypervisorTest.awaitRecords(guest, atPivot + 20);
        guest.close();
        long acknowledged = guest.acknowledged();
        assertThat(guest.failure()).isNull();
        assertThat(acknowledged).isGreaterThan(atPivot);
        // Read on the target's side: the backing file of the new LUN, not through the initiator.
        assertThat(JournalWorkload.verify(newBacking, SIZE, acknowledged)).as("first lost record").isZero();
        byte[] copied = Files.readAllBytes(newBacking);
        int journalEnd = (int) (acknowledged * JournalWorkload.RECORD);
        assertThat(Arrays.equals(copied, journalEnd, SIZE, original, journalEnd, SIZE))
                .as("bytes the guest never wrote arrived unchanged").isTrue();

        hv.detachDisk("i-1", "vdb");
        assertThat(tgtd.connections(newLun)).as("detach logs out").doesNotContain("Initiator");
    }

    @Test
    void wrongChapSecretIsRefusedAndNothingStaysLoggedIn() throws Exception {
        long started = System.currentTimeMillis() - 1000;
        IscsiTarget wrong = new IscsiTarget(oldLun.host(), oldLun.port(), oldLun.iqn(), 1, "CHAP",
                oldLun.username(), "not-the-secret");
        assertThatThrownBy(() -> hv.attachDisk("i-1", Disk.iscsi("vdb", wrong, "vol-old")))
                .isInstanceOf(HypervisorException.class).hasMessageContaining(oldLun.iqn())
                .hasMessageNotContaining("not-the-secret");
        assertThat(hv.disk("i-1", "vdb")).isEmpty();
        assertThat(tgtd.connections(oldLun)).doesNotContain("Initiator");
        hv.close();
        assertThat(java.nio.file.Files.list(Path.of(System.getProperty("java.io.tmpdir")))
                .filter(p -> p.getFileName().toString().startsWith("jcinder-iscsi-"))
                .filter(p -> p.toFile().lastModified() >= started).toList())
                .as("no session file, log or directory left behind").isEmpty();
    }
}
