package org.openstack.jcinder.api.snapshots;

import java.util.Map;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.exception.CinderException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** {@code /snapshots/{id}/metadata[/{key}]}: Cinder's snapshot_metadata controller. */
@RestController
public class SnapshotMetadataController {

    private final SnapshotApiService service;

    public SnapshotMetadataController(SnapshotApiService service) {
        this.service = service;
    }

    @GetMapping({"/v3/{projectId}/snapshots/{id}/metadata", "/v3/snapshots/{id}/metadata"})
    public Map<String, Object> index(ApiRequest req, @PathVariable String id) {
        return Map.of("metadata", service.metadata(req, id));
    }

    @PostMapping({"/v3/{projectId}/snapshots/{id}/metadata", "/v3/snapshots/{id}/metadata"})
    public Map<String, Object> create(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        return Map.of("metadata", service.writeMetadata(req, id, metadataBody(body), false));
    }

    @PutMapping({"/v3/{projectId}/snapshots/{id}/metadata", "/v3/snapshots/{id}/metadata"})
    public Map<String, Object> updateAll(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        return Map.of("metadata", service.writeMetadata(req, id, metadataBody(body), true));
    }

    @GetMapping({"/v3/{projectId}/snapshots/{id}/metadata/{key}", "/v3/snapshots/{id}/metadata/{key}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String id, @PathVariable String key) {
        return Map.of("meta", Map.of(key, service.metadataItem(req, id, key)));
    }

    @PutMapping({"/v3/{projectId}/snapshots/{id}/metadata/{key}", "/v3/snapshots/{id}/metadata/{key}"})
    public Map<String, Object> update(ApiRequest req, @PathVariable String id, @PathVariable String key,
                                      @RequestBody JsonNode body) {
        if (body == null || !body.isObject() || body.get("meta") == null) {
            throw JsonBody.bad("Malformed request body");
        }
        Map<String, String> item = JsonBody.stringMap("meta", body.get("meta"));
        if (!item.containsKey(key)) {
            throw new CinderException(400, "Request body and URI mismatch");
        }
        if (item.size() > 1) {
            throw new CinderException(400, "Request body contains too many items");
        }
        service.writeMetadata(req, id, item, false);
        return Map.of("meta", item);
    }

    @DeleteMapping({"/v3/{projectId}/snapshots/{id}/metadata/{key}", "/v3/snapshots/{id}/metadata/{key}"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String id, @PathVariable String key) {
        service.deleteMetadataKey(req, id, key);
        return ResponseEntity.ok().build();
    }

    private static Map<String, String> metadataBody(JsonNode body) {
        if (body == null || !body.isObject() || body.get("metadata") == null) {
            throw JsonBody.bad("Malformed request body");
        }
        return JsonBody.stringMap("metadata", body.get("metadata"));
    }
}
