package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.Completion;
import org.openstack.jcinder.volume.driver.VolumeDriver.MoveResult;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationPath;

/** An attached volume: only Nova's swap may move it, and Nova's completion commits or discards. */
class AttachedSwapMigrationTest extends MigrationTestBase {

    private VolumeEntity attachedVolume() throws Exception {
        VolumeEntity v = volume("in-use", "starting");
        attach(v, "server-1");
        return v;
    }

    @Test
    void theComputeServiceIsAskedToSwapAndTheMigrationWaitsForIt() throws Exception {
        driver.nativeMove = () -> MoveResult.moved("/must/not/be/used");
        VolumeEntity v = attachedVolume();

        migrate(v, false);

        String targetId = record(v.getId()).getTargetVolumeId();
        assertThat(driver.calls).isEmpty();
        assertThat(copier.calls).isEmpty();
        assertThat(destination.calls).containsExactly("create " + targetId + " on " + DESTINATION);
        assertThat(nova.calls).containsExactly("swap server-1 " + v.getId() + " -> " + targetId);
        assertThat(record(v.getId()).getPath()).isEqualTo(MigrationPath.ATTACHED);
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.WAITING_FOR_COMPUTE);
        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
    }

    @Test
    void theCompletionSwapsTheRowsAndReattachesTheServerToTheUsersVolume() throws Exception {
        VolumeEntity v = attachedVolume();
        migrate(v, false);
        String targetId = record(v.getId()).getTargetVolumeId();
        // Nova's swap attached the server to the temporary volume.
        attach(reload(targetId), "server-1");

        migrator.migrateVolumeCompletion(RequestContext.internal(), new Completion(v.getId(), targetId, false));

        VolumeEntity after = reload(v.getId());
        assertThat(after.getHost()).isEqualTo(DESTINATION);
        assertThat(after.getNameId()).isEqualTo(targetId);
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        assertThat(after.getStatus()).isEqualTo(VolumeStatus.IN_USE);
        assertThat(ctx.getBean(VolumeAttachmentRepository.class).findByVolumeIdAndDeletedFalse(targetId)).isEmpty();
        assertThat(ctx.getBean(VolumeAttachmentRepository.class).findByVolumeIdAndDeletedFalse(v.getId()))
                .hasSize(2);
        assertThat(destination.calls).contains("delete " + targetId + " on " + SOURCE + "#one");
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.SUCCESS);
    }

    @Test
    void aCompletionWithErrorDeletesTheTemporaryVolumeAndKeepsTheSource() throws Exception {
        VolumeEntity v = attachedVolume();
        migrate(v, false);
        String targetId = record(v.getId()).getTargetVolumeId();

        migrator.migrateVolumeCompletion(RequestContext.internal(), new Completion(v.getId(), targetId, true));

        VolumeEntity after = reload(v.getId());
        assertThat(after.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(reload(targetId).getStatus()).isEqualTo(VolumeStatus.DELETING);
        assertThat(destination.calls).contains("delete " + targetId + " on " + DESTINATION);
        assertThat(record(v.getId()).getState()).isEqualTo(MigrationPhase.ERROR);
        assertThat(record(v.getId()).getDetail()).isEqualTo("the compute service reported an error");
    }

    @Test
    void novaRefusingTheSwapDiscardsTheTemporaryVolume() throws Exception {
        nova.refuse = true;
        VolumeEntity v = attachedVolume();

        migrate(v, false);

        String targetId = record(v.getId()).getTargetVolumeId();
        VolumeEntity after = reload(v.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getStatusReason()).contains("Nova refused the swap");
        assertThat(after.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(destination.calls).contains("delete " + targetId + " on " + DESTINATION);
    }

    @Test
    void anAttachmentToAHostRatherThanAServerCannotBeSwapped() throws Exception {
        VolumeEntity v = volume("in-use", "starting");
        attach(v, null);

        migrate(v, false);

        assertThat(nova.calls).isEmpty();
        assertThat(reload(v.getId()).getStatusReason()).contains("is to a host, not a server");
    }
}
