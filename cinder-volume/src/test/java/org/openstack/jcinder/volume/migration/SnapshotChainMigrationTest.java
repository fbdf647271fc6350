package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;

/**
 * A volume moved {@code with_snapshots}: the chain copied through the copy engine (progress over all bytes), the
 * snapshot rows re-pointed only in the commit, the source's objects removed only after it; and a failure or
 * cancel at each step leaving the volume and every snapshot as they were, the destination's copies removed.
 */
class SnapshotChainMigrationTest extends MigrationTestBase {

    private static final long GIB = 1L << 30;

    private SnapshotEntity snapshot(VolumeEntity v, int n) throws Exception {
        SnapshotEntity s = new SnapshotEntity();
        s.setId(UUID.randomUUID().toString());
        s.setVolumeId(v.getId());
        s.setStatus("available");
        s.setVolumeSize(1);
        s.setProjectId(v.getProjectId());
        s.setVolumeTypeId(v.getVolumeTypeId());
        s.setCreatedAt(Clock.now().plusSeconds(n));
        s.setProviderLocation(driver.objectOf(s).toString());
        ctx.getBean(SnapshotRepository.class).saveAndFlush(s);
        Files.writeString(driver.objectOf(s), "snapshot " + n + " of " + v.getId());
        return s;
    }

    private void migrateWithSnapshots(VolumeEntity v, boolean forceHostCopy) {
        migrator.migrateVolume(RequestContext.internal(), new MigrateVolume(v.getId(), DESTINATION,
                Map.of("thin_provisioning_support", true), forceHostCopy, null, null, true));
    }

    private SnapshotEntity reload(SnapshotEntity s) {
        return ctx.getBean(SnapshotRepository.class).findById(s.getId()).orElseThrow();
    }

    @Test
    void theGenericPathCopiesTheChainCommitsThenRemovesTheSources() throws Exception {
        VolumeEntity v = migratable();
        SnapshotEntity s1 = snapshot(v, 1);
        SnapshotEntity s2 = snapshot(v, 2);
        // When a source snapshot object is removed, its row must already point at the destination's copy.
        List<String> rowsAtDelete = new CopyOnWriteArrayList<>();
        driver.onSnapshotDelete = s -> rowsAtDelete.add(reload(s).getProviderLocation());

        migrateWithSnapshots(v, true);

        VolumeEntity after = volumes.findById(v.getId()).orElseThrow();
        String targetId = record(v.getId()).getTargetVolumeId();
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(after.getHost()).isEqualTo(DESTINATION);
        // Volume first, then the snapshots oldest first, all through the one copy engine.
        assertThat(copier.calls).containsExactly("volume-" + v.getId() + " -> volume-" + targetId + " sparse=true",
                "snapshot-" + s1.getId() + " -> snapshot-" + s1.getId() + " sparse=true",
                "snapshot-" + s2.getId() + " -> snapshot-" + s2.getId() + " sparse=true");
        // Ids unchanged; each row points at its copy on the destination, whose bytes are the snapshot's.
        for (SnapshotEntity s : List.of(s1, s2)) {
            SnapshotEntity now = reload(s);
            assertThat(now.isDeleted()).isFalse();
            assertThat(now.getStatus()).isEqualTo("available");
            assertThat(now.getProviderLocation()).isEqualTo(destination.objectOfSnapshot(s.getId()).toString());
            assertThat(Files.exists(driver.objectOf(s))).isFalse();
        }
        assertThat(Files.readString(destination.objectOfSnapshot(s1.getId()))).isEqualTo("snapshot 1 of " + v.getId());
        assertThat(Files.readString(destination.objectOfSnapshot(s2.getId()))).isEqualTo("snapshot 2 of " + v.getId());
        assertThat(rowsAtDelete).containsExactly(destination.objectOfSnapshot(s1.getId()).toString(),
                destination.objectOfSnapshot(s2.getId()).toString());
        // The destination's calls: every copy made before update_migrated (the step before the commit).
        List<String> calls = new ArrayList<>(destination.calls);
        assertThat(calls.indexOf("update_migrated " + v.getId() + " " + targetId))
                .isGreaterThan(calls.indexOf("disconnect snapshot " + s2.getId()));
        assertThat(calls).noneMatch(c -> c.startsWith("delete snapshot"));
        // Progress counts the volume and both snapshots.
        VolumeMigrationEntity record = record(v.getId());
        assertThat(record.getBytesTotal()).isEqualTo(3 * GIB);
        assertThat(record.getBytesCopied()).isEqualTo(3 * GIB);
        assertThat(record.getState()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(record.getPath()).isEqualTo(MigrationPath.GENERIC);
    }

    /**
     * Step 1 = the volume's copy, 2 = the first snapshot's, 3 = the second's; "refuse" = the destination will not
     * create the second snapshot's copy, "cancel" = an administrator's cancel during the second snapshot's copy,
     * "deleted" = a snapshot removed by its owner while the chain was copied (the commit refuses the change).
     */
    @ParameterizedTest
    @ValueSource(strings = {"fail-1", "fail-2", "fail-3", "refuse", "cancel", "deleted"})
    void aFailureAtAnyStepLeavesTheVolumeAndEverySnapshotAsTheyWere(String step) throws Exception {
        VolumeEntity v = migratable();
        SnapshotEntity s1 = snapshot(v, 1);
        SnapshotEntity s2 = snapshot(v, 2);
        switch (step) {
            case "refuse" -> destination.refuseSnapshot = s2.getId();
            case "cancel" -> copier.beforeCopy = (n, c) -> {
                if (n == 3) {
                    c.cancel();
                }
            };
            case "deleted" -> copier.beforeCopy = (n, c) -> {
                if (n == 3) {
                    ctx.getBean(SnapshotRepository.class).softDelete(s1.getId(), Clock.now());
                }
            };
            default -> {
                int failing = Integer.parseInt(step.substring("fail-".length()));
                copier.beforeCopy = (n, c) -> {
                    if (n == failing) {
                        throw new VolumeDriverException("copy " + n + " failed");
                    }
                };
            }
        }

        migrateWithSnapshots(v, true);

        VolumeEntity after = volumes.findById(v.getId()).orElseThrow();
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(after.getNameId()).isNull();
        assertThat(after.getStatus()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(Files.readString(driver.objectOf(v))).isEqualTo("data of " + v.getId());
        int n = 1;
        for (SnapshotEntity s : List.of(s1, s2)) {
            SnapshotEntity now = reload(s);
            assertThat(now.getProviderLocation()).isEqualTo(driver.objectOf(s).toString());
            assertThat(Files.readString(driver.objectOf(s))).isEqualTo("snapshot " + n++ + " of " + v.getId());
            // The destination's copies are gone (none was ever made of a refused one).
            assertThat(Files.exists(destination.objectOfSnapshot(s.getId()))).isFalse();
        }
        assertThat(driver.calls).noneMatch(c -> c.startsWith("delete"));
        String targetId = record(v.getId()).getTargetVolumeId();
        assertThat(volumes.findById(targetId).orElseThrow().getStatus()).isEqualTo(VolumeStatus.DELETING);
        assertThat(destination.calls).noneMatch(c -> c.startsWith("update_migrated") && step.startsWith("fail"));
        if (step.equals("refuse")) {
            // Only the copy that was made is removed: the refused one was never the migration's.
            assertThat(destination.calls).contains("delete snapshot " + s1.getId() + " on " + DESTINATION)
                    .doesNotContain("delete snapshot " + s2.getId() + " on " + DESTINATION);
        }
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
    }

    @Test
    void theNativePathMovesTheChainIntoTheDestinationsStorageAndCommitsBeforeRemovingTheSources() throws Exception {
        Fakes.Driver vg2 = new Fakes.Driver(dir.resolve("vg2"));
        driver.nativeTarget = vg2;
        VolumeEntity v = migratable();
        SnapshotEntity s1 = snapshot(v, 1);
        SnapshotEntity s2 = snapshot(v, 2);
        List<String> rowsAtDelete = new CopyOnWriteArrayList<>();
        driver.onSnapshotDelete = s -> rowsAtDelete.add(reload(s).getProviderLocation());

        migrateWithSnapshots(v, false);

        VolumeEntity after = volumes.findById(v.getId()).orElseThrow();
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(after.getHost()).isEqualTo(DESTINATION);
        assertThat(after.getNameId()).isNull();
        assertThat(Files.readString(vg2.objectOf(v))).isEqualTo("data of " + v.getId());
        assertThat(Files.exists(driver.objectOf(v))).isFalse();
        assertThat(Files.readString(vg2.objectOf(s1))).isEqualTo("snapshot 1 of " + v.getId());
        assertThat(Files.readString(vg2.objectOf(s2))).isEqualTo("snapshot 2 of " + v.getId());
        assertThat(reload(s1).getProviderLocation()).isEqualTo(vg2.objectOf(s1).toString());
        assertThat(rowsAtDelete).containsExactly(vg2.objectOf(s1).toString(), vg2.objectOf(s2).toString());
        assertThat(destination.calls).isEmpty();
        assertThat(driver.calls).doesNotContain("migrate " + v.getId() + " " + DESTINATION);
        VolumeMigrationEntity record = record(v.getId());
        assertThat(record.getPath()).isEqualTo(MigrationPath.DRIVER);
        assertThat(record.getBytesCopied()).isEqualTo(3 * GIB);
        assertThat(record.getBytesTotal()).isEqualTo(3 * GIB);
    }

    @Test
    void aNativeMoveThatFailsRemovesItsCopiesAndTheGenericPathMovesTheChain() throws Exception {
        Fakes.Driver vg2 = new Fakes.Driver(dir.resolve("vg2"));
        driver.nativeTarget = vg2;
        VolumeEntity v = migratable();
        SnapshotEntity s1 = snapshot(v, 1);
        SnapshotEntity s2 = snapshot(v, 2);
        vg2.refuseSnapshot = s2.getId();

        migrateWithSnapshots(v, false);

        assertThat(Files.exists(vg2.objectOf(v))).isFalse();
        assertThat(Files.exists(vg2.objectOf(s1))).isFalse();
        assertThat(vg2.calls).contains("delete " + v.getId(), "delete snapshot " + s1.getId())
                .doesNotContain("delete snapshot " + s2.getId());
        VolumeMigrationEntity record = record(v.getId());
        assertThat(record.getPath()).isEqualTo(MigrationPath.GENERIC);
        assertThat(record.getDetail()).contains("driver migration failed").contains("refused snapshot " + s2.getId());
        assertThat(volumes.findById(v.getId()).orElseThrow().getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(Files.readString(destination.objectOfSnapshot(s2.getId()))).isEqualTo("snapshot 2 of " + v.getId());
    }

    @Test
    void theApisConditionalStartNeedsAnAvailableVolumeAndEverySnapshotAvailable() throws Exception {
        VolumeEntity v = volume("available", null);
        SnapshotEntity s1 = snapshot(v, 1);
        snapshot(v, 2);
        // Cinder's own start refuses any volume with snapshots; the with_snapshots form accepts it.
        assertThat(volumes.startMigration(v.getId(), DESTINATION, false, Clock.now())).isZero();
        ctx.getBean(SnapshotRepository.class).compareAndSetStatus(s1.getId(), List.of("available"), "creating",
                Clock.now());
        assertThat(volumes.startMigrationWithSnapshots(v.getId(), DESTINATION, false, Clock.now()))
                .as("a snapshot being made").isZero();
        ctx.getBean(SnapshotRepository.class).compareAndSetStatus(s1.getId(), List.of("creating"), "available",
                Clock.now());
        assertThat(volumes.startMigrationWithSnapshots(v.getId(), DESTINATION, true, Clock.now())).isOne();
        VolumeEntity started = volumes.findById(v.getId()).orElseThrow();
        assertThat(started.getMigrationStatus()).isEqualTo(MigrationStatus.STARTING);
        assertThat(started.getStatus()).isEqualTo(VolumeStatus.MAINTENANCE);
        assertThat(volumes.startMigrationWithSnapshots(v.getId(), DESTINATION, false, Clock.now()))
                .as("one in flight").isZero();

        VolumeEntity inUse = volume("in-use", null);
        snapshot(inUse, 1);
        assertThat(volumes.startMigrationWithSnapshots(inUse.getId(), DESTINATION, false, Clock.now())).isZero();
    }

    @Test
    void anAttachedVolumeIsNotSwappedWithItsSnapshots() throws Exception {
        VolumeEntity v = volume("in-use", "starting");
        attach(v, "server-1");
        snapshot(v, 1);

        migrateWithSnapshots(v, false);

        assertThat(nova.calls).isEmpty();
        assertThat(volumes.findById(v.getId()).orElseThrow().getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(record(v.getId()).getDetail()).endsWith("no migration path could move the volume");
    }

}
