package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.volume.copy.CopyCancelledException;
import org.openstack.jcinder.volume.driver.VolumeDriver.MoveResult;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationPath;

/** The three-way decision for detached volumes, its fallback, the generic path's steps and its failures. */
class VolumeMigratorTest extends MigrationTestBase {

    @Test
    void aDriverThatMovesTheVolumeEndsTheMigrationWithoutAHostCopy() throws Exception {
        driver.nativeMove = () -> MoveResult.moved("/elsewhere/volume");
        VolumeEntity v = migratable();

        migrate(v, false);

        VolumeEntity after = reload(v.getId());
        assertThat(after.getHost()).isEqualTo(DESTINATION);
        assertThat(after.getProviderLocation()).isEqualTo("/elsewhere/volume");
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(destination.calls).isEmpty();
        assertThat(copier.calls).isEmpty();
        VolumeMigrationEntity record = record(v.getId());
        assertThat(record.getPath()).isEqualTo(MigrationPath.DRIVER);
        assertThat(record.getState()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(record.getBytesCopied()).isEqualTo(record.getBytesTotal());
    }

    @Test
    void notMovedByTheDriverFallsBackToTheHostCopyAndSwapsTheRows() throws Exception {
        VolumeEntity v = migratable();

        migrate(v, false);

        VolumeEntity after = reload(v.getId());
        String targetId = record(v.getId()).getTargetVolumeId();
        assertThat(driver.calls).startsWith("migrate " + v.getId() + " " + DESTINATION);
        // create_volume on the destination, both connected, copied, both released, renamed or not, old copy deleted.
        assertThat(destination.calls).containsExactly("create " + targetId + " on " + DESTINATION,
                "connect " + targetId, "disconnect " + targetId, "update_migrated " + v.getId() + " " + targetId,
                "delete " + targetId + " on " + SOURCE + "#one");
        assertThat(driver.calls).contains("connect " + v.getId(), "disconnect " + v.getId());
        assertThat(copier.calls).containsExactly("volume-" + v.getId() + " -> volume-" + targetId + " sparse=true");
        assertThat(Files.readString(destination.objectOf(targetId))).isEqualTo("data of " + v.getId());

        // The user's volume keeps its id and takes the new object (_name_id); the temporary row takes the old one.
        assertThat(after.getHost()).isEqualTo(DESTINATION);
        assertThat(after.getNameId()).isEqualTo(targetId);
        assertThat(after.getProviderLocation()).isEqualTo(destination.objectOf(targetId).toString());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(after.getStatus()).isEqualTo(VolumeStatus.AVAILABLE);
        VolumeEntity old = reload(targetId);
        assertThat(old.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(old.getNameId()).isEqualTo(v.getId());
        assertThat(old.getStatus()).isEqualTo(VolumeStatus.DELETING);

        VolumeMigrationEntity record = record(v.getId());
        assertThat(record.getPath()).isEqualTo(MigrationPath.GENERIC);
        assertThat(record.getState()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(record.getDetail()).isEqualTo("driver did not move: fake driver has no native migration");
        assertThat(record.getBytesCopied()).isEqualTo(1L << 30);
        assertThat(record.getCopyStartedAt()).isNotNull();
    }

    @Test
    void aDriverThatFailsIsNotedAndTheHostCopyRuns() throws Exception {
        driver.nativeMove = () -> {
            throw new VolumeDriverException("lvcreate: insufficient free space");
        };
        VolumeEntity v = migratable();

        migrate(v, false);

        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(record(v.getId()).getDetail()).isEqualTo("driver migration failed: Volume driver reported an error: lvcreate: insufficient free space");
        assertThat(record(v.getId()).getPath()).isEqualTo(MigrationPath.GENERIC);
    }

    @Test
    void forceHostCopyNeverAsksTheDriver() throws Exception {
        driver.nativeMove = () -> MoveResult.moved("/must/not/be/used");
        VolumeEntity v = migratable();

        migrate(v, true);

        assertThat(driver.calls).noneMatch(c -> c.startsWith("migrate "));
        assertThat(record(v.getId()).getPath()).isEqualTo(MigrationPath.GENERIC);
        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
    }

    @Test
    void aCancelDuringTheDriversCopyEndsTheMigrationWithoutFallback() throws Exception {
        driver.nativeMove = () -> {
            throw new CopyCancelledException();
        };
        VolumeEntity v = migratable();

        migrate(v, false);

        VolumeEntity after = reload(v.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(destination.calls).isEmpty();
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
    }

    @Test
    void aFailedCopyDiscardsTheTemporaryVolumeAndLeavesTheSourceAsItWas() throws Exception {
        copier.failure = new VolumeDriverException("read error at offset 4096");
        VolumeEntity v = migratable();

        migrate(v, true);

        VolumeEntity after = reload(v.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(after.getNameId()).isNull();
        assertThat(after.getStatusReason()).contains("read error at offset 4096");
        assertThat(Files.readString(driver.objectOf(v))).isEqualTo("data of " + v.getId());
        String targetId = record(v.getId()).getTargetVolumeId();
        // Released on both sides even though the copy failed, then deleted on the destination.
        assertThat(destination.calls).contains("disconnect " + targetId, "delete " + targetId + " on " + DESTINATION);
        assertThat(driver.calls).contains("disconnect " + v.getId());
        assertThat(reload(targetId).getStatus()).isEqualTo(VolumeStatus.DELETING);
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
        assertThat(record(v.getId()).getDetail()).contains("read error at offset 4096");
    }

    @Test
    void aCancelDuringTheHostCopyDiscardsTheTemporaryVolume() throws Exception {
        copier.cancelMidway = true;
        VolumeEntity v = migratable();

        migrate(v, true);

        String targetId = record(v.getId()).getTargetVolumeId();
        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(destination.calls).contains("delete " + targetId + " on " + DESTINATION);
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
    }

    @Test
    void theDestinationFailingToCreateTheTargetFailsTheMigrationWithItsReason() throws Exception {
        destination.createFailure = new VolumeDriverException("no space left on the destination");
        VolumeEntity v = migratable();

        migrate(v, true);

        VolumeEntity after = reload(v.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getStatusReason()).isEqualTo("Volume driver reported an error: no space left on the destination");
        assertThat(copier.calls).isEmpty();
    }

    @Test
    void aDestinationThatRenamesTheObjectLeavesTheVolumeWithoutNameId() throws Exception {
        Path renamed = dir.resolve("destination").resolve("renamed");
        destination.name = MigratedName.renamed(renamed.toString());
        VolumeEntity v = migratable();

        migrate(v, true);

        VolumeEntity after = reload(v.getId());
        assertThat(after.getNameId()).isNull();
        assertThat(after.getProviderLocation()).isEqualTo(renamed.toString());
        assertThat(after.getHost()).isEqualTo(DESTINATION);
    }

    @Test
    void aVolumeNoLongerWaitingToMigrateIsLeftAlone() throws Exception {
        VolumeEntity v = volume("available", "error");

        migrate(v, false);

        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(driver.calls).isEmpty();
        assertThat(destination.calls).isEmpty();
    }
}
