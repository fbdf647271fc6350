package org.openstack.jcinder.api.manage;

import org.openstack.jcinder.api.snapshots.SnapshotActionHandler;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.springframework.stereotype.Component;

import tools.jackson.databind.JsonNode;

/** {@code os-unmanage} of {@code POST /snapshots/{id}/action} (Cinder's snapshot_unmanage extension). */
@Component
public class SnapshotUnmanageAction implements SnapshotActionHandler {

    private final ManageService service;

    public SnapshotUnmanageAction(ManageService service) {
        this.service = service;
    }

    @Override
    public String action() {
        return "os-unmanage";
    }

    @Override
    public void handle(ApiRequest req, SnapshotEntity snapshot, JsonNode args) {
        service.unmanageSnapshot(req, snapshot);
    }
}
