package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.volume.copy.CopyControl;

/** The three-way decision on its own: which paths may run, in which order. */
class MigrationStrategyRankingTest {

    private final List<MigrationStrategy> strategies = List.of(
            new GenericCopyMigration(null, null, null, null, null, null, null, null, null, null, null, 0),
            new AttachedSwapMigration(null, null, null, null, null, null),
            new DriverNativeMigration(null, null, null, null, null, null, null, 0));

    private static MigrationJob job(boolean attached, boolean force) {
        List<VolumeAttachmentEntity> attachments = attached ? List.of(new VolumeAttachmentEntity()) : List.of();
        return new MigrationJob(RequestContext.internal(), new VolumeEntity(), BackendHost.parse("h@b#p"), Map.of(),
                force, null, attachments, new VolumeMigrationEntity(), CopyControl.none());
    }

    private List<String> order(MigrationJob job) {
        return MigrationStrategy.ranked(strategies, job).stream().map(s -> s.path().wire()).toList();
    }

    @Test
    void detachedTriesTheDriverFirstThenTheHostCopy() {
        assertThat(order(job(false, false))).containsExactly("driver", "generic");
    }

    @Test
    void forceHostCopySkipsTheDriver() {
        assertThat(order(job(false, true))).containsExactly("generic");
    }

    @Test
    void attachedVolumesOnlyMoveThroughTheComputeService() {
        assertThat(order(job(true, false))).containsExactly("attached");
        assertThat(order(job(true, true))).containsExactly("attached");
    }
}
