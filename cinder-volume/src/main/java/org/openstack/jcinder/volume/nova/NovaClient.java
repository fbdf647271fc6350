package org.openstack.jcinder.volume.nova;

import org.openstack.jcinder.shared.context.RequestContext;

/**
 * What Cinder asks of Nova: swap a volume under a running server (migration), and tell servers that an
 * attached volume grew (extend).
 */
public interface NovaClient {

    /**
     * Asks Nova to move {@code serverId}'s disk from {@code oldVolumeId} to {@code newVolumeId}. Nova answers at
     * once (202) and later calls back {@code os-migrate_volume_completion}. Throws when Nova refuses.
     */
    void updateServerVolume(RequestContext ctx, String serverId, String oldVolumeId, String newVolumeId);

    /**
     * Nova's {@code volume-extended} external event ({@code POST /os-server-external-events}, microversion 2.51)
     * for each server the volume is attached to. Throws when Nova refuses them all.
     */
    void volumeExtended(RequestContext ctx, java.util.List<String> serverIds, String volumeId);
}
