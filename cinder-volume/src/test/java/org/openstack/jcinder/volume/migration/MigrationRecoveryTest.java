package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.volume.MigrationPhase;

/** After a restart of the source backend nothing stays half-way, and no guest loses the volume it runs on. */
class MigrationRecoveryTest extends MigrationTestBase {

    @Test
    void aHostCopyInterruptedByARestartEndsInErrorAndItsTemporaryVolumeIsDeleted() throws Exception {
        // What a kill -9 mid-copy leaves: the volume migrating, an open record, a temporary volume with a partial
        // copy (on this same backend here, as after a migration between two pools of one backend).
        VolumeEntity v = volume("available", "migrating");
        VolumeMigrationEntity record = ctx.getBean(MigrationRecorder.class).start(RequestContext.internal(), v,
                new MigrateVolume(v.getId(), DESTINATION, Map.of(), true, null, null));
        VolumeEntity target = MigrationTargets.newTarget(v, BackendHost.parse(SOURCE + "#one"), null);
        target.setStatus(VolumeStatus.AVAILABLE);
        volumes.saveAndFlush(target);
        Files.writeString(driver.objectOf(target), "partial copy");
        // A finished migration's leftovers are not this recovery's business.
        VolumeEntity other = volume("available", "success");

        migrator.recoverAfterRestart();

        VolumeEntity after = reload(v.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getStatusReason()).isEqualTo("interrupted by a restart of " + SOURCE);
        assertThat(record(v.getId()).getId()).isEqualTo(record.getId());
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
        assertThat(record(v.getId()).getFinishedAt()).isNotNull();
        assertThat(reload(target.getId()).isDeleted()).isTrue();
        assertThat(Files.exists(driver.objectOf(target))).isFalse();
        assertThat(driver.calls).containsExactly("delete " + target.getId());
        assertThat(reload(other.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
    }

    @Test
    void aTemporaryVolumeOfAMigrationStillRunningIsKept() throws Exception {
        VolumeEntity source = volume("available", "migrating");
        source.setHost("other-host@elsewhere#pool");
        volumes.saveAndFlush(source);
        VolumeEntity target = MigrationTargets.newTarget(source, BackendHost.parse(SOURCE + "#one"), null);
        volumes.saveAndFlush(target);

        migrator.recoverAfterRestart();

        assertThat(reload(target.getId()).isDeleted()).isFalse();
        assertThat(reload(source.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
        assertThat(driver.calls).isEmpty();
    }

    @Test
    void anAttachedMigrationTheComputeServiceIsCopyingSurvivesTheRestart() throws Exception {
        VolumeEntity v = volume("in-use", "starting");
        attach(v, "server-1");
        migrate(v, false);
        String targetId = record(v.getId()).getTargetVolumeId();
        VolumeEntity target = reload(targetId);
        target.setHost(SOURCE + "#one");
        volumes.saveAndFlush(target);

        migrator.recoverAfterRestart();

        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
        assertThat(record(v.getId()).getFinishedAt()).isNull();
        assertThat(reload(targetId).isDeleted()).isFalse();
        assertThat(driver.calls).doesNotContain("delete " + targetId);
    }
}
