package org.openstack.jcinder.api.volumes;

import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.springframework.stereotype.Component;

/**
 * Volume JSON exactly as Cinder's view builder shapes it, field order included, with the fields each
 * microversion adds and the admin-only attributes ({@code os-vol-host-attr:host},
 * {@code os-vol-mig-status-attr:*}, {@code migration_status}) only for administrators.
 */
@Component
public class VolumeViews {

    /** {@code 2026-11-24T18:32:12.150756}, Cinder's format; hand-rolled because it runs for every field of every row. */
    public static String time(LocalDateTime t) {
        if (t == null) {
            return null;
        }
        StringBuilder b = new StringBuilder(26);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append('T');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        return pad(b, t.getNano() / 1000, 6).toString();
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(digits);
    }

    public Map<String, Object> summary(ApiRequest req, VolumeEntity v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.getId());
        m.put("name", v.getDisplayName());
        m.put("links", links(req, v.getId()));
        return m;
    }

    public Map<String, Object> detail(ApiRequest req, VolumeEntity v, List<VolumeAttachmentEntity> attachments,
                                      String volumeTypeName) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", v.getId());
        m.put("status", v.getStatus());
        m.put("size", v.getSize());
        m.put("availability_zone", v.getAvailabilityZone());
        m.put("created_at", time(v.getCreatedAt()));
        m.put("updated_at", time(v.getUpdatedAt()));
        m.put("name", v.getDisplayName());
        m.put("description", v.getDisplayDescription());
        m.put("volume_type", volumeTypeName);
        m.put("snapshot_id", v.getSnapshotId());
        m.put("source_volid", v.getSourceVolid());
        m.put("metadata", new LinkedHashMap<>(v.getMetadata()));
        m.put("links", links(req, v.getId()));
        m.put("user_id", v.getUserId());
        m.put("bootable", Boolean.toString(v.isBootable()));
        m.put("encrypted", false);
        m.put("replication_status", null);
        m.put("consistencygroup_id", null);
        m.put("multiattach", v.isMultiattach());
        m.put("attachments", attachments(v, attachments));
        boolean admin = req.isAdmin();
        if (admin) {
            m.put("migration_status", v.getMigrationStatus());
        }
        var version = req.version();
        if (version.atLeast(13)) {
            m.put("group_id", null);
        }
        if (version.atLeast(21)) {
            m.put("provider_id", null);
        }
        if (version.atLeast(48)) {
            m.put("shared_targets", false);
            m.put("service_uuid", v.getServiceUuid());
        }
        if (version.atLeast(61) && admin) {
            m.put("cluster_name", v.getClusterName());
        }
        if (version.atLeast(63)) {
            m.put("volume_type_id", v.getVolumeTypeId());
        }
        if (version.atLeast(65)) {
            m.put("consumes_quota", v.getMigrationStatus() == null || !v.getMigrationStatus().startsWith("target:"));
        }
        m.put("os-vol-tenant-attr:tenant_id", v.getProjectId());
        if (admin) {
            m.put("os-vol-mig-status-attr:migstat", v.getMigrationStatus());
            m.put("os-vol-mig-status-attr:name_id", v.getNameId());
            m.put("os-vol-host-attr:host", v.getHost());
        }
        return m;
    }

    private static List<Map<String, Object>> attachments(VolumeEntity v, List<VolumeAttachmentEntity> rows) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (VolumeAttachmentEntity a : rows) {
            if (!"attached".equals(a.getAttachStatus())) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("server_id", a.getInstanceUuid());
            m.put("attachment_id", a.getId());
            m.put("attached_at", time(a.getAttachTime()));
            m.put("host_name", a.getAttachedHost());
            m.put("volume_id", v.getId());
            m.put("device", a.getMountpoint());
            m.put("id", v.getId());
            out.add(m);
        }
        return out;
    }

    private static List<Map<String, String>> links(ApiRequest req, String id) {
        return List.of(
                Map.of("rel", "self", "href", req.v3Url() + "/volumes/" + id),
                Map.of("rel", "bookmark", "href", req.bookmarkUrl() + "/volumes/" + id));
    }
}
