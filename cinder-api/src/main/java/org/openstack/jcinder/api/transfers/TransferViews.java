package org.openstack.jcinder.api.transfers;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.TransferEntity;

/**
 * Cinder's transfer views ({@code cinder/api/views/transfers.py}), the same for both APIs: the summary (list,
 * accept), the detail (show, detailed list) and the create (the detail plus the auth key, the only time it is
 * shown). From 3.55 the detail has {@code no_snapshots}, from 3.57 {@code destination_project_id},
 * {@code source_project_id} and {@code accepted}. Links name the {@code os-volume-transfer} collection, as
 * Cinder's do whichever path was called.
 */
final class TransferViews {

    static final String COLLECTION = "os-volume-transfer";

    private TransferViews() {
    }

    static Map<String, Object> summary(ApiRequest req, TransferEntity t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("volume_id", t.getVolumeId());
        m.put("name", t.getDisplayName());
        m.put("links", links(req, t.getId()));
        return m;
    }

    static Map<String, Object> detail(ApiRequest req, TransferEntity t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("created_at", VolumeViews.time(t.getCreatedAt()));
        m.put("name", t.getDisplayName());
        m.put("volume_id", t.getVolumeId());
        m.put("links", links(req, t.getId()));
        versioned(req, t, m);
        return m;
    }

    static Map<String, Object> created(ApiRequest req, TransferEntity t, String authKey) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", t.getId());
        m.put("created_at", VolumeViews.time(t.getCreatedAt()));
        m.put("name", t.getDisplayName());
        m.put("volume_id", t.getVolumeId());
        m.put("auth_key", authKey);
        m.put("links", links(req, t.getId()));
        versioned(req, t, m);
        return m;
    }

    private static void versioned(ApiRequest req, TransferEntity t, Map<String, Object> m) {
        if (req.version().atLeast(55)) {
            m.put("no_snapshots", t.isNoSnapshots());
        }
        if (req.version().atLeast(57)) {
            m.put("destination_project_id", t.getDestinationProjectId());
            m.put("source_project_id", t.getSourceProjectId());
            m.put("accepted", t.isAccepted());
        }
    }

    static Map<String, Object> one(Map<String, Object> transfer) {
        return Map.of("transfer", transfer);
    }

    private static List<Map<String, String>> links(ApiRequest req, String id) {
        return List.of(
                Map.of("rel", "self", "href", req.v3Url() + "/" + COLLECTION + "/" + id),
                Map.of("rel", "bookmark", "href", req.bookmarkUrl() + "/" + COLLECTION + "/" + id));
    }
}
