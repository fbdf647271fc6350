package org.openstack.jcinder.volume.nova;

import org.openstack.jcinder.common.context.RequestContext;

/** The one thing Cinder asks of Nova during a migration: swap the volume under a running server. */
public interface NovaClient {

    /**
     * Asks Nova to move {@code serverId}'s disk from {@code oldVolumeId} to {@code newVolumeId}. Nova answers at
     * once (202) and later calls back {@code os-migrate_volume_completion}. Throws when Nova refuses.
     */
    void updateServerVolume(RequestContext ctx, String serverId, String oldVolumeId, String newVolumeId);
}
