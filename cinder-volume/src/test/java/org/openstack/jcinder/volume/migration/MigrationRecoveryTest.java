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
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.ServiceEntity;
import org.openstack.jcinder.common.db.ServiceRepository;
import org.openstack.jcinder.common.service.ServiceRegistry;

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
        // Deleted through the normal path: marked deleting, delete_volume sent to the backend that holds it.
        assertThat(reload(target.getId()).getStatus()).isEqualTo(VolumeStatus.DELETING);
        assertThat(reload(target.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.DELETING);
        assertThat(destination.calls).containsExactly("delete " + target.getId() + " on " + SOURCE + "#one");
        assertThat(reload(other.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
    }

    @Test
    void aTemporaryVolumeOfAMigrationStillRunningIsKept() throws Exception {
        VolumeEntity source = volume("available", "migrating");
        source.setHost("other-host@elsewhere#pool");
        volumes.saveAndFlush(source);
        VolumeEntity target = MigrationTargets.newTarget(source, BackendHost.parse(SOURCE + "#one"), null);
        volumes.saveAndFlush(target);
        // Its owner, another process, heartbeats.
        ctx.getBean(ServiceRegistry.class).register(ServiceRegistry.VOLUME_BINARY, "other-host@elsewhere", "volume",
                "nova");

        migrator.recoverAfterRestart();
        migrator.reconcile();

        assertThat(reload(target.getId()).isDeleted()).isFalse();
        assertThat(reload(target.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.target(source.getId()));
        assertThat(reload(source.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
        assertThat(driver.calls).isEmpty();
        assertThat(destination.calls).isEmpty();
    }

    @Test
    void theReconcilerFailsTheMigrationOfADeadOwnerAndDeletesItsTemporaryVolumeHere() throws Exception {
        // The source's volume service is another process that died (no heartbeat within service_down_time);
        // this backend holds the temporary volume and finds it on a periodic pass, not only at start.
        VolumeEntity source = volume("available", "migrating");
        source.setHost("dead-host@gone#pool");
        volumes.saveAndFlush(source);
        ServiceEntity dead = ctx.getBean(ServiceRegistry.class).register(ServiceRegistry.VOLUME_BINARY,
                "dead-host@gone", "volume", "nova");
        ctx.getBean(ServiceRepository.class).heartbeat(dead.getId(), Clock.now().minusMinutes(5), null, null);
        VolumeMigrationEntity record = ctx.getBean(MigrationRecorder.class).start(RequestContext.internal(), source,
                new MigrateVolume(source.getId(), SOURCE + "#one", Map.of(), true, null, null));
        VolumeEntity target = MigrationTargets.newTarget(source, BackendHost.parse(SOURCE + "#one"), null);
        target.setStatus(VolumeStatus.AVAILABLE);
        volumes.saveAndFlush(target);
        ctx.getBean(MigrationRecorder.class).path(record, MigrationPath.GENERIC, target.getId());

        migrator.reconcile();

        VolumeEntity after = reload(source.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getStatusReason()).contains("dead-host@gone").contains("is down");
        assertThat(after.getHost()).isEqualTo("dead-host@gone#pool"); // the source is never touched
        assertThat(record(source.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
        assertThat(reload(target.getId()).getStatus()).isEqualTo(VolumeStatus.DELETING);
        assertThat(destination.calls).containsExactly("delete " + target.getId() + " on " + SOURCE + "#one");

        // A later pass finds the deletion still not done (its request lost) and queues it again, once per interval.
        VolumeEntity stale = reload(target.getId());
        stale.setUpdatedAt(Clock.now().minusMinutes(5));
        volumes.saveAndFlush(stale);
        migrator.reconcile();
        migrator.reconcile();
        assertThat(destination.calls).containsExactly("delete " + target.getId() + " on " + SOURCE + "#one",
                "delete " + target.getId() + " on " + SOURCE + "#one");
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
