package org.openstack.jcinder.api.volumes;

import static org.openstack.jcinder.common.volume.WireValue.wireOf;

import java.time.LocalDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.springframework.stereotype.Component;

import tools.jackson.core.JsonGenerator;
import tools.jackson.databind.JacksonSerializable;
import tools.jackson.databind.SerializationContext;
import tools.jackson.databind.jsontype.TypeSerializer;

/**
 * Volume JSON exactly as Cinder's view builder shapes it, field order included: the fields each microversion
 * adds, the admin-only ones ({@code migration_status}, {@code provider_id}, {@code cluster_name}) for
 * administrators, and on show and the detailed list the attributes of Cinder's view extensions
 * ({@code os-vol-tenant-attr}, {@code os-vol-mig-status-attr}, {@code os-vol-host-attr}) as their policies
 * allow. A migration's progress is its own resource ({@code api.migrations}), never part of this view.
 */
@Component
public class VolumeViews {

    private final PolicyEnforcer policy;
    private final VolumeGroupCheck groups;

    public VolumeViews(PolicyEnforcer policy) {
        this(policy, null);
    }

    @org.springframework.beans.factory.annotation.Autowired
    public VolumeViews(PolicyEnforcer policy, VolumeGroupCheck groups) {
        this.policy = policy;
        this.groups = groups;
    }

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

    /**
     * Which of Cinder's view extensions ({@code contrib/volume_*_attribute.py}) a caller gets on show and the
     * detailed list; Cinder asks each extension's policy once per request, against the caller's own project.
     */
    public record Extensions(boolean tenant, boolean host, boolean migration) {
        /** Create and update: Cinder's extensions do not extend them. */
        public static final Extensions NONE = new Extensions(false, false, false);
    }

    public Extensions extensions(ApiRequest req) {
        PolicyTarget own = PolicyTarget.owner(req.projectId(), req.context().userId());
        return new Extensions(policy.allows(req, VolumePolicies.TENANT_ATTRIBUTE, own),
                policy.allows(req, VolumePolicies.HOST_ATTRIBUTE, own),
                policy.allows(req, VolumePolicies.MIG_ATTRIBUTE, own));
    }

    /**
     * The detail view, written straight to the JSON generator: the list endpoint writes 100 of these per
     * request, and building a map per volume cost a fifth of the request's CPU in the benchmark profile.
     * {@code extensions}: {@link Extensions#NONE} for create and update, {@link #extensions} for show and list.
     */
    public JacksonSerializable detail(ApiRequest req, VolumeEntity v, List<VolumeAttachmentEntity> attachments,
                                      String volumeTypeName, Extensions extensions) {
        boolean admin = policy.isAdmin(req);
        // Cinder shows a group of the reserved CG type as the volume's consistencygroup_id as well.
        String consistencyGroupId = v.getGroupId() != null && groups != null
                && groups.isConsistencyGroup(v.getGroupId()) ? v.getGroupId() : null;
        return new JacksonSerializable.Base() {
            @Override
            public void serialize(JsonGenerator g, SerializationContext ctxt) {
                writeDetail(g, req, admin, v, attachments, volumeTypeName, extensions, consistencyGroupId);
            }

            @Override
            public void serializeWithType(JsonGenerator g, SerializationContext ctxt, TypeSerializer ts) {
                serialize(g, ctxt);
            }
        };
    }

    /** Cinder's {@code _visible_admin_metadata_keys}: shown among the metadata to everyone who sees the volume. */
    private static final List<String> VISIBLE_ADMIN_METADATA = List.of("readonly", "attached_mode");

    private static void writeDetail(JsonGenerator g, ApiRequest req, boolean admin, VolumeEntity v,
                                    List<VolumeAttachmentEntity> attachments, String volumeTypeName,
                                    Extensions ext, String consistencyGroupId) {
        var version = req.version();
        g.writeStartObject();
        g.writeStringProperty("id", v.getId());
        g.writeStringProperty("status", wireOf(v.getStatus()));
        g.writeNumberProperty("size", v.getSize());
        g.writeStringProperty("availability_zone", v.getAvailabilityZone());
        g.writeStringProperty("created_at", time(v.getCreatedAt()));
        g.writeStringProperty("updated_at", time(v.getUpdatedAt()));
        g.writeStringProperty("name", v.getDisplayName());
        g.writeStringProperty("description", v.getDisplayDescription());
        // Before 3.63 Cinder falls back to the type's id when the type is gone; from 3.63 the id has a field.
        g.writeStringProperty("volume_type", volumeTypeName != null || version.atLeast(TYPE_ID_IN_DETAIL)
                ? volumeTypeName : v.getVolumeTypeId());
        g.writeStringProperty("snapshot_id", v.getSnapshotId());
        g.writeStringProperty("source_volid", v.getSourceVolid());
        g.writeName("metadata");
        g.writeStartObject();
        Map<String, String> adminMetadata = v.getAdminMetadata();
        for (String key : VISIBLE_ADMIN_METADATA) {
            if (adminMetadata.containsKey(key) && !v.getMetadata().containsKey(key)) {
                g.writeStringProperty(key, adminMetadata.get(key));
            }
        }
        for (Map.Entry<String, String> e : v.getMetadata().entrySet()) {
            g.writeStringProperty(e.getKey(), e.getValue());
        }
        g.writeEndObject();
        g.writeName("links");
        g.writeStartArray();
        writeLink(g, "self", req.v3Url() + "/volumes/" + v.getId());
        writeLink(g, "bookmark", req.bookmarkUrl() + "/volumes/" + v.getId());
        g.writeEndArray();
        g.writeStringProperty("user_id", v.getUserId());
        g.writeStringProperty("bootable", Boolean.toString(v.isBootable()));
        g.writeBooleanProperty("encrypted", v.isEncrypted());
        g.writeNullProperty("replication_status");
        if (consistencyGroupId == null) {
            g.writeNullProperty("consistencygroup_id");
        } else {
            g.writeStringProperty("consistencygroup_id", consistencyGroupId);
        }
        g.writeBooleanProperty("multiattach", v.isMultiattach());
        // Cinder shows an attachment's host only to admins and services (Glance's cinder store needs it).
        boolean showHostName = admin || req.context().roles().contains("service");
        g.writeName("attachments");
        g.writeStartArray();
        for (VolumeAttachmentEntity a : attachments) {
            if (a.getAttachStatus() != AttachStatus.ATTACHED) {
                continue;
            }
            g.writeStartObject();
            g.writeStringProperty("server_id", a.getInstanceUuid());
            g.writeStringProperty("attachment_id", a.getId());
            g.writeStringProperty("attached_at", time(a.getAttachTime()));
            g.writeStringProperty("host_name", showHostName ? a.getAttachedHost() : null);
            g.writeStringProperty("volume_id", v.getId());
            g.writeStringProperty("device", a.getMountpoint());
            g.writeStringProperty("id", v.getId());
            g.writeEndObject();
        }
        g.writeEndArray();
        if (admin) {
            g.writeStringProperty("migration_status", wireOf(v.getMigrationStatus()));
        }
        if (version.atLeast(13)) {
            if (v.getGroupId() == null) {
                g.writeNullProperty("group_id");
            } else {
                g.writeStringProperty("group_id", v.getGroupId());
            }
        }
        if (version.atLeast(21) && admin) {
            g.writeNullProperty("provider_id");
        }
        if (version.atLeast(48)) {
            // Cinder's column defaults to true, and before 3.69 an unknown value is shown as true as well.
            g.writeBooleanProperty("shared_targets", true);
            g.writeStringProperty("service_uuid", v.getServiceUuid());
        }
        if (version.atLeast(61) && admin) {
            g.writeStringProperty("cluster_name", v.getClusterName());
        }
        if (version.atLeast(TYPE_ID_IN_DETAIL)) {
            g.writeStringProperty("volume_type_id", v.getVolumeTypeId());
        }
        // 3.64 adds encryption_key_id only for encrypted volumes; this service creates none.
        if (version.atLeast(65)) {
            g.writeBooleanProperty("consumes_quota", !MigrationStatus.isTarget(v.getMigrationStatus()));
        }
        if (ext.tenant()) {
            g.writeStringProperty("os-vol-tenant-attr:tenant_id", v.getProjectId());
        }
        if (ext.migration()) {
            g.writeStringProperty("os-vol-mig-status-attr:migstat", wireOf(v.getMigrationStatus()));
            g.writeStringProperty("os-vol-mig-status-attr:name_id", v.getNameId());
        }
        if (ext.host()) {
            g.writeStringProperty("os-vol-host-attr:host", v.getHost());
        }
        g.writeEndObject();
    }

    /** {@code 3.63}: {@code volume_type_id} in the view, and {@code volume_type} is the name or null. */
    private static final int TYPE_ID_IN_DETAIL = 63;

    private static void writeLink(JsonGenerator g, String rel, String href) {
        g.writeStartObject();
        g.writeStringProperty("rel", rel);
        g.writeStringProperty("href", href);
        g.writeEndObject();
    }

    private static List<Map<String, String>> links(ApiRequest req, String id) {
        return List.of(
                Map.of("rel", "self", "href", req.v3Url() + "/volumes/" + id),
                Map.of("rel", "bookmark", "href", req.bookmarkUrl() + "/volumes/" + id));
    }
}
