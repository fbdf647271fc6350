package org.openstack.jcinder.api.snapshots;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.SnapshotEntity;

import tools.jackson.databind.JsonNode;

/**
 * A snapshot action another feature adds to {@code POST /snapshots/{id}/action} (as Cinder's controller
 * extensions do), so that feature's package depends on this one and not the other way round. The snapshot has
 * been looked up for the caller (404 and {@code volume:get_snapshot} done).
 */
public interface SnapshotActionHandler {

    String action();

    void handle(ApiRequest req, SnapshotEntity snapshot, JsonNode args);
}
