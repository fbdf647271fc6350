package org.openstack.jcinder.compute.api;

import java.util.Map;

import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.compute.instance.BlockDeviceMapping;
import org.openstack.jcinder.compute.instance.Instance;
import org.openstack.jcinder.compute.instance.InstanceStore;
import org.openstack.jcinder.compute.manager.ComputeManager;
import org.openstack.jcinder.compute.manager.VolumeSwapService;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v2.1/servers/{id}/os-volume_attachments}: list, show, attach, detach, and the swap Cinder calls to
 * migrate an attached volume ({@code PUT}, admin or service only, 202 then asynchronous).
 */
@RestController
public class VolumeAttachmentsController {

    private static final String BASE = "/v2.1/servers/{id}/os-volume_attachments";
    private static final String BASE_P = "/v2.1/{project}/servers/{id}/os-volume_attachments";

    private final InstanceStore instances;
    private final ComputeManager compute;
    private final VolumeSwapService swaps;

    private final ComputePolicy policy;

    public VolumeAttachmentsController(InstanceStore instances, ComputeManager compute, VolumeSwapService swaps,
                                       ComputePolicy policy) {
        this.policy = policy;
        this.instances = instances;
        this.compute = compute;
        this.swaps = swaps;
    }

    @GetMapping({BASE, BASE_P})
    public Map<String, Object> list(ComputeRequest req, @PathVariable String id) {
        Instance i = ServersController.find(req, instances, policy, id);
        policy.authorize(req, NovaPolicies.ATTACHMENTS_INDEX, ServersController.target(i));
        return Map.of("volumeAttachments", i.volumes().stream()
                .map(b -> ServerViews.attachment(req, i, b)).toList());
    }

    @GetMapping({BASE + "/{volumeId}", BASE_P + "/{volumeId}"})
    public Map<String, Object> show(ComputeRequest req, @PathVariable String id, @PathVariable String volumeId) {
        Instance i = ServersController.find(req, instances, policy, id);
        policy.authorize(req, NovaPolicies.ATTACHMENTS_SHOW, ServersController.target(i));
        return Map.of("volumeAttachment", ServerViews.attachment(req, i, attached(i, volumeId)));
    }

    @PostMapping({BASE, BASE_P})
    public Map<String, Object> attach(ComputeRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        JsonNode a = attachmentBody(body);
        String volumeId = volumeId(a);
        String tag = a.hasNonNull("tag") && req.version().atLeast(49) ? a.get("tag").asString() : null;
        boolean deleteOnTermination = req.version().atLeast(79) && a.path("delete_on_termination").asBoolean(false);
        Instance i = ServersController.find(req, instances, policy, id);
        policy.authorize(req, NovaPolicies.ATTACHMENTS_CREATE, ServersController.target(i));
        BlockDeviceMapping bdm = compute.attachVolume(ServersController.context(req), i, volumeId, tag,
                deleteOnTermination);
        return Map.of("volumeAttachment", ServerViews.attachment(req, i, bdm));
    }

    @PutMapping({BASE + "/{volumeId}", BASE_P + "/{volumeId}"})
    public ResponseEntity<Void> swap(ComputeRequest req, @PathVariable String id, @PathVariable String volumeId,
                                     @RequestBody JsonNode body) {
        String newVolumeId = volumeId(attachmentBody(body));
        // Checked before the server is looked up: the caller is Cinder's service user, whose project is not
        // the server's.
        policy.authorize(req, NovaPolicies.ATTACHMENTS_SWAP);
        Instance i = ServersController.find(req, instances, policy, id);
        swaps.requestSwap(ServersController.context(req), i, volumeId, newVolumeId);
        return ResponseEntity.accepted().build();
    }

    @DeleteMapping({BASE + "/{volumeId}", BASE_P + "/{volumeId}"})
    public ResponseEntity<Void> detach(ComputeRequest req, @PathVariable String id, @PathVariable String volumeId) {
        Instance i = ServersController.find(req, instances, policy, id);
        policy.authorize(req, NovaPolicies.ATTACHMENTS_DELETE, ServersController.target(i));
        BlockDeviceMapping bdm = attached(i, volumeId);
        if (swaps.swapping(i.uuid(), volumeId)) {
            throw NovaException.conflict("Cannot 'detach_volume' instance " + i.uuid() + ": volume " + volumeId
                    + " is being swapped");
        }
        compute.detachVolume(ServersController.context(req), i, bdm);
        return ResponseEntity.accepted().build();
    }

    private static BlockDeviceMapping attached(Instance i, String volumeId) {
        return i.volume(volumeId).orElseThrow(() -> NovaException.notFound("Volume " + volumeId
                + " is not attached to instance " + i.uuid() + "."));
    }

    private static JsonNode attachmentBody(JsonNode body) {
        JsonNode a = body == null ? null : body.get("volumeAttachment");
        if (a == null || !a.isObject()) {
            throw NovaException.badRequest("Invalid input for field/attribute volumeAttachment. "
                    + "'volumeAttachment' is a required property");
        }
        return a;
    }

    private static String volumeId(JsonNode a) {
        JsonNode v = a.get("volumeId");
        if (v == null || !v.isString() || !v.asString().matches("[0-9a-fA-F-]{36}")) {
            throw NovaException.badRequest("Invalid input for field/attribute volumeId. Value: " + v
                    + ". " + v + " is not a 'uuid'");
        }
        return v.asString();
    }
}
