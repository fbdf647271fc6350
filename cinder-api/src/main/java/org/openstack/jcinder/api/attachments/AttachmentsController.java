package org.openstack.jcinder.api.attachments;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.volume.WireValue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.annotation.Transactional;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]attachments} (microversion 3.27+, {@code os-complete} 3.44+): the attachment flow Nova
 * uses. Create reserves the volume (with a connector it also connects); update connects; complete marks it
 * attached; delete detaches. Connection info for file volumes is {@code {"driver_volume_type": "file",
 * "data": {"device_path": …}}}.
 */
@RestController
public class AttachmentsController {

    private static final Logger LOG = LoggerFactory.getLogger(AttachmentsController.class);

    private final VolumeRepository volumes;
    private final VolumeAttachmentRepository attachments;
    private final VolumeRpcApi volumeRpc;

    private final PolicyEnforcer policy;

    public AttachmentsController(VolumeRepository volumes, VolumeAttachmentRepository attachments,
                                 VolumeRpcApi volumeRpc, PolicyEnforcer policy) {
        this.policy = policy;
        this.volumes = volumes;
        this.attachments = attachments;
        this.volumeRpc = volumeRpc;
    }

    @PostMapping({"/v3/{projectId}/attachments", "/v3/attachments"})
    @Transactional
    public Map<String, Object> create(ApiRequest req, @RequestBody JsonNode body) {
        requireVersion(req, 27);
        JsonBody a = JsonBody.root(body, "attachment").allowOnly(Set.of("volume_uuid", "instance_uuid", "connector",
                "mode"));
        String volumeId = a.requiredString("volume_uuid", 1, 36);
        String instance = a.optionalString("instance_uuid", 36);
        String mode = a.optionalString("mode", 8);
        if (mode != null && !mode.equals("rw") && !mode.equals("ro")) {
            throw JsonBody.bad("Invalid attach mode " + mode);
        }
        JsonNode connector = a.optionalObject("connector");
        VolumeEntity v = visibleVolume(req, volumeId);
        policy.authorize(req, AttachmentPolicies.CREATE, VolumeApiService.target(v));
        List<VolumeStatus> from = v.isMultiattach() ? List.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE,
                VolumeStatus.RESERVED, VolumeStatus.ATTACHING) : List.of(VolumeStatus.AVAILABLE);
        boolean migrationTarget = MigrationStatus.isTarget(v.getMigrationStatus());
        if (!migrationTarget && volumes.compareAndSetStatus(volumeId, from, VolumeStatus.RESERVED, Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume " + volumeId + " status must be available or downloading to "
                    + "reserve, but the current status is " + v.getStatus() + ".");
        }
        VolumeAttachmentEntity att = new VolumeAttachmentEntity();
        att.setId(UUID.randomUUID().toString());
        att.setVolumeId(volumeId);
        att.setInstanceUuid(instance);
        att.setAttachMode(mode == null ? "rw" : mode);
        att.setAttachStatus(AttachStatus.RESERVED);
        att.setCreatedAt(Clock.now());
        Map<String, Object> connection = null;
        if (connector != null && !connector.isNull()) {
            connection = connect(req, v, att, connector);
        }
        attachments.saveAndFlush(att);
        return Map.of("attachment", view(att, connection));
    }

    @PutMapping({"/v3/{projectId}/attachments/{id}", "/v3/attachments/{id}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        requireVersion(req, 27);
        JsonBody a = JsonBody.root(body, "attachment").allowOnly(Set.of("connector"));
        JsonNode connector = a.optionalObject("connector");
        if (connector == null) {
            throw JsonBody.bad("'connector' is a required property");
        }
        VolumeAttachmentEntity att = find(req, id);
        VolumeEntity v = visibleVolume(req, att.getVolumeId());
        policy.authorize(req, AttachmentPolicies.UPDATE, VolumeApiService.target(v));
        Map<String, Object> connection = connect(req, v, att, connector);
        attachments.saveAndFlush(att);
        return Map.of("attachment", view(att, connection));
    }

    @PostMapping({"/v3/{projectId}/attachments/{id}/action", "/v3/attachments/{id}/action"})
    @Transactional
    public ResponseEntity<Void> action(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        requireVersion(req, 44);
        if (body == null || !body.has("os-complete")) {
            throw JsonBody.bad("There is no such action: " + (body == null ? null : body.propertyNames()));
        }
        VolumeAttachmentEntity att = find(req, id, AttachmentPolicies.COMPLETE);
        att.setAttachStatus(AttachStatus.ATTACHED);
        att.setAttachTime(Clock.now());
        attachments.saveAndFlush(att);
        volumes.markAttached(att.getVolumeId(), List.of(VolumeStatus.RESERVED, VolumeStatus.ATTACHING,
                VolumeStatus.AVAILABLE, VolumeStatus.IN_USE), Clock.now());
        return ResponseEntity.noContent().build();
    }

    @DeleteMapping({"/v3/{projectId}/attachments/{id}", "/v3/attachments/{id}"})
    @Transactional
    public Map<String, Object> delete(ApiRequest req, @PathVariable String id) {
        requireVersion(req, 27);
        VolumeAttachmentEntity att = find(req, id, AttachmentPolicies.DELETE);
        att.setAttachStatus(AttachStatus.DETACHED);
        att.setDetachTime(Clock.now());
        att.setDeleted(true);
        att.setDeletedAt(Clock.now());
        attachments.saveAndFlush(att);
        if (attachments.findByVolumeIdAndDeletedFalse(att.getVolumeId()).isEmpty()) {
            volumes.markDetached(att.getVolumeId(), Clock.now());
            if (att.getConnector() != null) {
                releaseConnection(req, att.getVolumeId());
            }
        }
        return Map.of("attachments", List.of());
    }

    @GetMapping({"/v3/{projectId}/attachments/{id}", "/v3/attachments/{id}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String id) {
        requireVersion(req, 27);
        return Map.of("attachment", view(find(req, id), null));
    }

    @GetMapping({"/v3/{projectId}/attachments", "/v3/attachments", "/v3/{projectId}/attachments/detail",
            "/v3/attachments/detail"})
    public Map<String, Object> list(ApiRequest req) {
        requireVersion(req, 27);
        List<Map<String, Object>> out = attachments.findAll().stream().filter(a -> !a.isDeleted())
                .filter(a -> volumes.findByIdAndDeletedFalse(a.getVolumeId())
                        .map(v -> policy.sees(req, v.getProjectId())).orElse(false))
                .map(a -> view(a, null)).toList();
        return Map.of("attachments", out);
    }

    private Map<String, Object> connect(ApiRequest req, VolumeEntity v, VolumeAttachmentEntity att,
                                        JsonNode connector) {
        if (v.getHost() == null) {
            throw new InvalidVolumeException("Volume " + v.getId() + " has no backend yet.");
        }
        ConnectionInfo info = volumeRpc.initializeConnection(req.context(),
                BackendHost.parse(v.getHost()), v.getId());
        JsonNode host = connector.get("host");
        if (host != null && host.isString()) {
            att.setAttachedHost(host.stringValue());
        }
        JsonNode mountpoint = connector.get("mountpoint");
        if (mountpoint != null && mountpoint.isString()) {
            att.setMountpoint(mountpoint.stringValue());
        }
        att.setConnector(connector.toString());
        att.setAttachStatus(AttachStatus.ATTACHING);
        Map<String, Object> data = new LinkedHashMap<>();
        if (info.exported()) {
            // Cinder's iSCSI properties (target_portal, target_iqn, target_lun, auth_*), as the target answered.
            data.putAll(info.data());
        } else {
            data.put("device_path", info.path());
        }
        data.put("volume_id", v.getId());
        data.put("access_mode", att.getAttachMode());
        Map<String, Object> connection = new LinkedHashMap<>();
        connection.put("driver_volume_type", info.driverVolumeType());
        connection.put("data", data);
        att.setConnectionInfo(connection.toString());
        volumes.compareAndSetStatus(v.getId(), List.of(VolumeStatus.RESERVED), VolumeStatus.ATTACHING, Clock.now());
        return connection;
    }

    /**
     * The last attachment is gone: the backend may release what {@code initialize_connection} set up (an LVM
     * volume's loop device, an export). Best effort — the detach stands even if the backend is down; the
     * driver's delete releases it at the latest.
     */
    private void releaseConnection(ApiRequest req, String volumeId) {
        volumes.findByIdAndDeletedFalse(volumeId).filter(v -> v.getHost() != null).ifPresent(v -> {
            try {
                volumeRpc.terminateConnection(req.context(), BackendHost.parse(v.getHost()), volumeId);
            } catch (RuntimeException e) {
                LOG.warn("Volume {} detached, but its backend {} did not release the connection: {}", volumeId,
                        v.getHost(), e.getMessage());
            }
        });
    }

    private VolumeAttachmentEntity find(ApiRequest req, String id) {
        VolumeAttachmentEntity a = attachments.findById(id).filter(x -> !x.isDeleted())
                .orElseThrow(() -> new NotFoundException("Volume attachment " + id + " could not be found."));
        visibleVolume(req, a.getVolumeId());
        return a;
    }

    /** {@link #find}, then {@code action} on the attachment's volume. */
    private VolumeAttachmentEntity find(ApiRequest req, String id, String action) {
        VolumeAttachmentEntity a = find(req, id);
        VolumeEntity v = visibleVolume(req, a.getVolumeId());
        policy.authorize(req, action, VolumeApiService.target(v));
        return a;
    }

    private VolumeEntity visibleVolume(ApiRequest req, String id) {
        VolumeEntity v = volumes.findByIdAndDeletedFalse(id).orElseThrow(() -> new VolumeNotFoundException(id));
        if (!policy.sees(req, v.getProjectId())) {
            throw new VolumeNotFoundException(id);
        }
        return v;
    }

    private static void requireVersion(ApiRequest req, int minor) {
        if (!req.version().atLeast(minor)) {
            throw new CinderException(404, "The resource could not be found.");
        }
    }

    private static Map<String, Object> view(VolumeAttachmentEntity a, Map<String, Object> connectionInfo) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", a.getId());
        m.put("status", WireValue.wireOf(a.getAttachStatus()));
        m.put("instance", a.getInstanceUuid());
        m.put("volume_id", a.getVolumeId());
        m.put("attached_at", VolumeViews.time(a.getAttachTime()));
        m.put("detached_at", VolumeViews.time(a.getDetachTime()));
        m.put("attach_mode", a.getAttachMode());
        m.put("connection_info", connectionInfo);
        return m;
    }
}
