package org.openstack.jcinder.compute.api;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.compute.instance.BlockDeviceMapping;
import org.openstack.jcinder.compute.instance.Instance;
import org.openstack.jcinder.compute.instance.InstanceStore;
import org.openstack.jcinder.compute.manager.ComputeManager;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v2.1/os-server-external-events}: how other services tell Nova that something happened to a
 * server. This service acts on {@code volume-extended} (2.51, sent by Cinder after extending an attached
 * volume) and accepts, without acting, Nova's other event names. Admin or service only. Each event gets its
 * own code: 200 when every event was taken, 207 when some were not, 404 when none was.
 */
@RestController
public class ServerExternalEventsController {

    static final Set<String> EVENT_NAMES = Set.of("network-changed", "network-vif-plugged", "network-vif-unplugged",
            "network-vif-deleted", "volume-extended", "power-update", "accelerator-request-bound");

    private final InstanceStore instances;
    private final ComputeManager compute;

    private final ComputePolicy policy;

    public ServerExternalEventsController(InstanceStore instances, ComputeManager compute, ComputePolicy policy) {
        this.policy = policy;
        this.instances = instances;
        this.compute = compute;
    }

    @PostMapping({"/v2.1/os-server-external-events", "/v2.1/{project}/os-server-external-events"})
    public ResponseEntity<Map<String, Object>> create(ComputeRequest req, @RequestBody JsonNode body) {
        JsonNode events = body == null ? null : body.get("events");
        if (events == null || !events.isArray() || events.isEmpty()) {
            throw NovaException.badRequest("Invalid input for field/attribute events. 'events' is a required "
                    + "non-empty array");
        }
        for (JsonNode e : events) {
            String name = e.path("name").asString("");
            if (!EVENT_NAMES.contains(name) || !e.path("server_uuid").isString()) {
                throw NovaException.badRequest("Invalid input for field/attribute events. Value: " + e);
            }
            if (name.equals("volume-extended") && !req.version().atLeast(51)) {
                throw NovaException.badRequest("Invalid input for field/attribute name. Value: volume-extended. "
                        + "It needs microversion 2.51");
            }
        }
        policy.authorize(req, NovaPolicies.EXTERNAL_EVENTS_CREATE);
        List<Map<String, Object>> answered = new ArrayList<>();
        int taken = 0;
        for (JsonNode e : events) {
            String name = e.get("name").asString();
            String server = e.get("server_uuid").asString();
            String tag = e.path("tag").isString() ? e.get("tag").asString() : null;
            Optional<Instance> instance = instances.find(server);
            int code = 200;
            if (instance.isEmpty()) {
                code = 404;
            } else if (name.equals("volume-extended")) {
                Optional<BlockDeviceMapping> bdm = tag == null ? Optional.empty() : instance.get().volume(tag);
                if (bdm.isEmpty()) {
                    code = 422;
                } else {
                    compute.volumeExtended(ServersController.context(req), instance.get(), bdm.get());
                }
            }
            if (code == 200) {
                taken++;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", name);
            m.put("server_uuid", server);
            if (tag != null) {
                m.put("tag", tag);
            }
            m.put("status", code == 200 ? "completed" : "failed");
            m.put("code", code);
            answered.add(m);
        }
        int status = taken == answered.size() ? 200 : taken == 0 ? 404 : 207;
        return ResponseEntity.status(status).body(Map.of("events", answered));
    }
}
