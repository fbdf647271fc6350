package org.openstack.jcinder.api.actions;

import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeAttachmentEntity;
import org.openstack.jcinder.common.db.VolumeAttachmentRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.springframework.stereotype.Service;
import org.springframework.transaction.annotation.Transactional;

import tools.jackson.databind.JsonNode;

/**
 * The legacy attach actions Nova used before the attachments API: reserve, attach, begin/roll detaching,
 * detach, unreserve. They only record state (no export: file volumes are reached by path), which is what a
 * migration needs to tell an attached volume from a detached one.
 */
@Service
public class AttachActions {

    private final VolumeRepository volumes;
    private final VolumeAttachmentRepository attachments;

    private final VolumeApiService volumeApi;

    public AttachActions(VolumeRepository volumes, VolumeAttachmentRepository attachments,
                         VolumeApiService volumeApi) {
        this.volumeApi = volumeApi;
        this.volumes = volumes;
        this.attachments = attachments;
    }

    public void reserve(ApiRequest req, String id) {
        VolumeEntity v = volumeApi.get(req, id, VolumeActionPolicies.RESERVE);
        List<VolumeStatus> from = v.isMultiattach() ? List.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
                : List.of(VolumeStatus.AVAILABLE);
        if (volumes.compareAndSetStatus(id, from, VolumeStatus.ATTACHING, Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume status must be available to reserve, but the status is "
                    + v.getStatus() + ".");
        }
    }

    public void unreserve(ApiRequest req, String id) {
        volumeApi.get(req, id, VolumeActionPolicies.UNRESERVE);
        volumes.compareAndSetStatus(id, List.of(VolumeStatus.ATTACHING), VolumeStatus.AVAILABLE, Clock.now());
    }

    @Transactional
    public void attach(ApiRequest req, String id, JsonNode args) {
        JsonBody b = JsonBody.of(args).allowOnly(Set.of("instance_uuid", "mountpoint", "mode", "host_name"));
        String instance = b.optionalString("instance_uuid", 36);
        String host = b.optionalString("host_name", 255);
        String mountpoint = b.requiredString("mountpoint", 1, 255);
        String mode = b.optionalString("mode", 2);
        if ((instance == null) == (host == null)) {
            throw JsonBody.bad("Invalid request to attach volume to an invalid target");
        }
        if (mode != null && !mode.equals("rw") && !mode.equals("ro")) {
            throw JsonBody.bad("Invalid attaching mode '" + mode + "' for volume " + id + ".");
        }
        volumeApi.get(req, id, VolumeActionPolicies.ATTACH);
        if (volumes.markAttached(id, List.of(VolumeStatus.ATTACHING, VolumeStatus.AVAILABLE, VolumeStatus.IN_USE),
                Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume " + id + " is not being attached.");
        }
        VolumeAttachmentEntity a = new VolumeAttachmentEntity();
        a.setId(UUID.randomUUID().toString());
        a.setVolumeId(id);
        a.setInstanceUuid(instance);
        a.setAttachedHost(host);
        a.setMountpoint(mountpoint);
        a.setAttachMode(mode == null ? "rw" : mode);
        a.setAttachStatus(AttachStatus.ATTACHED);
        a.setAttachTime(Clock.now());
        a.setCreatedAt(Clock.now());
        attachments.save(a);
    }

    public void beginDetaching(ApiRequest req, String id) {
        VolumeEntity v = volumeApi.get(req, id, VolumeActionPolicies.BEGIN_DETACHING);
        if (MigrationStatus.isActive(v.getMigrationStatus())) {
            return; // Cinder makes this a no-op while a migration runs.
        }
        if (volumes.compareAndSetStatus(id, List.of(VolumeStatus.IN_USE), VolumeStatus.DETACHING, Clock.now()) == 0) {
            throw new InvalidVolumeException("Unable to detach volume. Volume status must be 'in-use' and "
                    + "attach_status must be 'attached' to detach.");
        }
    }

    public void rollDetaching(ApiRequest req, String id) {
        volumeApi.get(req, id, VolumeActionPolicies.ROLL_DETACHING);
        volumes.compareAndSetStatus(id, List.of(VolumeStatus.DETACHING), VolumeStatus.IN_USE, Clock.now());
    }

    @Transactional
    public void detach(ApiRequest req, String id, JsonNode args) {
        JsonBody b = JsonBody.of(args == null || args.isNull() ? tools.jackson.databind.node.JsonNodeFactory.instance
                .objectNode() : args).allowOnly(Set.of("attachment_id"));
        String attachmentId = b.optionalString("attachment_id", 36);
        volumeApi.get(req, id, VolumeActionPolicies.DETACH);
        List<VolumeAttachmentEntity> rows = attachments.findByVolumeIdAndDeletedFalse(id);
        if (attachmentId == null && rows.size() > 1) {
            throw JsonBody.bad("Volume " + id + " is attached more than once: give attachment_id.");
        }
        VolumeAttachmentEntity a = rows.stream().filter(r -> attachmentId == null || r.getId().equals(attachmentId))
                .findFirst().orElseThrow(() -> new NotFoundException("Volume attachment could not be found with "
                        + "filter: attachment_id = " + attachmentId + "."));
        a.setAttachStatus(AttachStatus.DETACHED);
        a.setDetachTime(Clock.now());
        a.setDeleted(true);
        a.setDeletedAt(Clock.now());
        attachments.saveAndFlush(a);
        if (rows.size() == 1) {
            volumes.markDetached(id, Clock.now());
        } else {
            volumes.compareAndSetStatus(id, List.of(VolumeStatus.DETACHING), VolumeStatus.IN_USE, Clock.now());
        }
    }
}
