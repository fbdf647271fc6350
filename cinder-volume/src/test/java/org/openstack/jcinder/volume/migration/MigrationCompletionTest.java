package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;

/** The commit point: the swap happens whole, and only between a volume and its own temporary volume. */
class MigrationCompletionTest extends MigrationTestBase {

    private VolumeEntity targetOf(VolumeEntity v) {
        VolumeEntity t = MigrationTargets.newTarget(v, BackendHost.parse(DESTINATION), null);
        t.setStatus(VolumeStatus.AVAILABLE);
        t.setProviderLocation("/destination/volume-" + t.getId());
        return volumes.saveAndFlush(t);
    }

    @Test
    void theUsersVolumeTakesTheNewObjectAndTheTemporaryRowTheOldOne() throws Exception {
        VolumeEntity v = volume("maintenance", "migrating");
        v.setPreviousStatus(VolumeStatus.AVAILABLE);
        v.setProviderLocation("/source/volume-" + v.getId());
        volumes.saveAndFlush(v);
        VolumeEntity t = targetOf(v);

        String oldHost = ctx.getBean(MigrationCompletion.class).finish(v.getId(), t.getId());

        assertThat(oldHost).isEqualTo(SOURCE + "#one");
        VolumeEntity after = reload(v.getId());
        assertThat(after.getStatus()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(after.getNameId()).isEqualTo(t.getId());
        assertThat(after.getProviderLocation()).isEqualTo("/destination/volume-" + t.getId());
        assertThat(after.getHost()).isEqualTo(DESTINATION);
        VolumeEntity old = reload(t.getId());
        assertThat(old.getNameId()).isEqualTo(v.getId());
        assertThat(old.getProviderLocation()).isEqualTo("/source/volume-" + v.getId());
        assertThat(old.getHost()).isEqualTo(SOURCE + "#one");
        assertThat(old.getMigrationStatus()).isEqualTo(MigrationStatus.DELETING);
    }

    @Test
    void aVolumeThatIsNotThisMigrationsTargetIsRefusedAndNothingChanges() throws Exception {
        VolumeEntity v = volume("available", "migrating");
        VolumeEntity stranger = volume("available", null);

        assertThatThrownBy(() -> ctx.getBean(MigrationCompletion.class).finish(v.getId(), stranger.getId()))
                .isInstanceOf(InvalidVolumeException.class)
                .hasMessageContaining("expected target:" + v.getId());

        assertThat(reload(v.getId()).getHost()).isEqualTo(SOURCE + "#one");
        assertThat(reload(v.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
        assertThat(reload(stranger.getId()).getStatus()).isEqualTo(VolumeStatus.AVAILABLE);
    }
}
