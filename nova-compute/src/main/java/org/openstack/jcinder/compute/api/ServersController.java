package org.openstack.jcinder.compute.api;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.compute.instance.Instance;
import org.openstack.jcinder.compute.instance.InstanceStore;
import org.openstack.jcinder.compute.context.CallerContext;
import org.openstack.jcinder.compute.manager.ComputeManager;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.JsonNode;

/**
 * {@code /v2.1/servers}: enough of Nova's servers to have something to attach volumes to. The image and flavor
 * are recorded, not interpreted (the simulated hypervisor has no images); {@code metadata} is kept.
 */
@RestController
public class ServersController {

    private final NovaConfig config;
    private final InstanceStore instances;
    private final ComputeManager compute;

    private final ComputePolicy policy;

    public ServersController(NovaConfig config, InstanceStore instances, ComputeManager compute,
                             ComputePolicy policy) {
        this.policy = policy;
        this.config = config;
        this.instances = instances;
        this.compute = compute;
    }

    @PostMapping({"/v2.1/servers", "/v2.1/{project}/servers"})
    public ResponseEntity<Map<String, Object>> create(ComputeRequest req, @RequestBody JsonNode body) {
        JsonNode server = body == null ? null : body.get("server");
        if (server == null || !server.isObject()) {
            throw NovaException.badRequest("Invalid input for field/attribute server. Value: None. "
                    + "'server' is a required property");
        }
        policy.authorize(req, NovaPolicies.SERVERS_CREATE);
        String name = text(server, "name", true, 255);
        String flavorRef = text(server, "flavorRef", true, 255);
        String imageRef = text(server, "imageRef", false, 255);
        Map<String, String> metadata = new LinkedHashMap<>();
        JsonNode md = server.get("metadata");
        if (md != null && !md.isNull()) {
            if (!md.isObject()) {
                throw NovaException.badRequest("Invalid input for field/attribute metadata. Value: " + md
                        + ". " + md + " is not of type 'object'");
            }
            for (Map.Entry<String, JsonNode> e : md.properties()) {
                if (!e.getValue().isString() || e.getKey().length() > 255) {
                    throw NovaException.badRequest("Invalid input for field/attribute metadata. Value: " + md);
                }
                metadata.put(e.getKey(), e.getValue().asString());
            }
        }
        Instance i = compute.createServer(context(req), name, flavorRef, imageRef, metadata, 96);
        Map<String, Object> view = new LinkedHashMap<>();
        view.put("id", i.uuid());
        view.put("links", ServerViews.brief(req, i).get("links"));
        view.put("OS-DCF:diskConfig", "MANUAL");
        view.put("security_groups", List.of(Map.of("name", "default")));
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("server", view));
    }

    @GetMapping({"/v2.1/servers", "/v2.1/{project}/servers"})
    public Map<String, Object> list(ComputeRequest req) {
        policy.authorize(req, NovaPolicies.SERVERS_INDEX);
        return Map.of("servers", visible(req).stream().map(i -> ServerViews.brief(req, i)).toList());
    }

    @GetMapping({"/v2.1/servers/detail", "/v2.1/{project}/servers/detail"})
    public Map<String, Object> detail(ComputeRequest req) {
        policy.authorize(req, NovaPolicies.SERVERS_DETAIL);
        return Map.of("servers", visible(req).stream().map(i -> detailView(req, i)).toList());
    }

    @GetMapping({"/v2.1/servers/{id}", "/v2.1/{project}/servers/{id}"})
    public Map<String, Object> show(ComputeRequest req, @PathVariable String id) {
        Instance i = find(req, instances, policy, id);
        policy.authorize(req, NovaPolicies.SERVERS_SHOW, target(i));
        return Map.of("server", detailView(req, i));
    }

    @DeleteMapping({"/v2.1/servers/{id}", "/v2.1/{project}/servers/{id}"})
    public ResponseEntity<Void> delete(ComputeRequest req, @PathVariable String id) {
        Instance i = find(req, instances, policy, id);
        policy.authorize(req, NovaPolicies.SERVERS_DELETE, target(i));
        compute.deleteServer(context(req), i);
        return ResponseEntity.noContent().build();
    }

    private Map<String, Object> detailView(ComputeRequest req, Instance i) {
        return ServerViews.detail(req, config, i, policy.allows(req, NovaPolicies.EXTENDED_ATTRIBUTES, target(i)));
    }

    private List<Instance> visible(ComputeRequest req) {
        return instances.all().stream().filter(i -> policy.sees(req, i.projectId())).toList();
    }

    /** A server as the target of a rule: Nova passes {@code {'project_id': instance.project_id}}. */
    static PolicyTarget target(Instance i) {
        return PolicyTarget.project(i.projectId());
    }

    /** The server if it exists for the caller (its project's, or any for an admin context), else 404. */
    static Instance find(ComputeRequest req, InstanceStore instances, ComputePolicy policy, String id) {
        return instances.find(id)
                .filter(i -> policy.sees(req, i.projectId()))
                .orElseThrow(() -> NovaException.notFound("Instance " + id + " could not be found."));
    }

    static CallerContext context(ComputeRequest req) {
        return new CallerContext(req.context(), req.token());
    }

    private static String text(JsonNode parent, String field, boolean required, int max) {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw NovaException.badRequest("Invalid input for field/attribute server. Value: " + parent
                        + ". '" + field + "' is a required property");
            }
            return null;
        }
        if (!n.isString() && !n.isNumber()) {
            throw NovaException.badRequest("Invalid input for field/attribute " + field + ". Value: " + n
                    + ". " + n + " is not of type 'string'");
        }
        String v = n.asString();
        if (v.strip().isEmpty() || v.length() > max) {
            throw NovaException.badRequest("Invalid input for field/attribute " + field + ". Value: " + v
                    + ". must be 1 to " + max + " characters, not blank");
        }
        return v;
    }
}
