package org.openstack.jcinder.api.snapshots;

import java.util.Set;

import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.exception.CinderException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code POST /snapshots/{id}/action}: {@code os-reset_status} (admin_actions), {@code os-update_snapshot_status}
 * (snapshot_actions, a service's call), {@code os-force_delete} (admin_actions).
 */
@RestController
public class SnapshotActionsController {

    /** Cinder's reset_status_snapshot schema enum. */
    private static final Set<String> RESET_STATUSES = Set.of("available", "error", "creating", "deleting",
            "error_deleting");

    private final SnapshotApiService service;
    /** Actions other features add (os-unmanage), by action name. */
    private final java.util.Map<String, SnapshotActionHandler> handlers = new java.util.HashMap<>();

    public SnapshotActionsController(SnapshotApiService service, java.util.List<SnapshotActionHandler> handlers) {
        this.service = service;
        handlers.forEach(h -> this.handlers.put(h.action(), h));
    }

    @PostMapping({"/v3/{projectId}/snapshots/{id}/action", "/v3/snapshots/{id}/action"})
    public ResponseEntity<Void> action(ApiRequest req, @PathVariable String id, @RequestBody JsonNode body) {
        if (body == null || !body.isObject() || body.size() != 1) {
            throw JsonBody.bad("There is no such action: " + (body == null || !body.isObject() ? "None"
                    : String.join(", ", body.propertyNames())));
        }
        String action = body.propertyNames().iterator().next();
        JsonNode args = body.get(action);
        switch (action) {
            case "os-reset_status" -> {
                JsonBody a = JsonBody.of(args).allowOnly(Set.of("status"));
                String status = a.requiredString("status", 1, 255).toLowerCase();
                if (!RESET_STATUSES.contains(status)) {
                    throw new CinderException(400, "Invalid input for field/attribute status. Value: " + status
                            + ". '" + status + "' is not one of ['available', 'creating', 'deleting', 'error', "
                            + "'error_deleting']");
                }
                service.resetStatus(req, id, status);
            }
            case "os-update_snapshot_status" -> {
                JsonBody a = JsonBody.of(args).allowOnly(Set.of("status", "progress"));
                String status = a.requiredString("status", 1, 255);
                String progress = a.optionalString("progress", 255);
                service.updateStatus(req, id, status, progress);
            }
            case "os-force_delete" -> {
                var s = service.get(req, id);
                service.forceDelete(req, s);
            }
            default -> {
                SnapshotActionHandler handler = handlers.get(action);
                if (handler == null) {
                    throw JsonBody.bad("There is no such action: " + action);
                }
                handler.handle(req, service.get(req, id), args);
            }
        }
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }
}
