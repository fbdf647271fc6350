package org.openstack.jcinder.api.manage;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.ManageableEntry;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code os-volume-manage} (any microversion) and {@code manageable_volumes} (3.8): manage an existing backend
 * object as a volume, and list what a backend offers.
 */
@RestController
public class VolumeManageController {

    private static final Set<String> KEYS = Set.of("description", "availability_zone", "bootable", "volume_type",
            "name", "host", "ref", "metadata");
    private static final Set<String> KEYS_316 = Set.of("description", "availability_zone", "bootable",
            "volume_type", "name", "host", "ref", "metadata", "cluster");

    private final ManageService service;
    private final VolumeViews views;
    private final PolicyEnforcer policy;
    private final CinderConfig config;

    public VolumeManageController(ManageService service, VolumeViews views, PolicyEnforcer policy,
                                  CinderConfig config) {
        this.service = service;
        this.views = views;
        this.policy = policy;
        this.config = config;
    }

    @PostMapping({"/v3/{projectId}/os-volume-manage", "/v3/os-volume-manage"})
    public ResponseEntity<Map<String, Object>> manage(ApiRequest req, @RequestBody JsonNode body) {
        return create(req, body);
    }

    @PostMapping({"/v3/{projectId}/manageable_volumes", "/v3/manageable_volumes"})
    public ResponseEntity<Map<String, Object>> manageV38(ApiRequest req, @RequestBody JsonNode body) {
        ManageRequests.requireListVersion(req);
        return create(req, body);
    }

    private ResponseEntity<Map<String, Object>> create(ApiRequest req, JsonNode body) {
        if (body != null && body.isObject()) {
            for (String key : body.propertyNames()) {
                if (!key.equals("volume")) {
                    throw JsonBody.bad("Additional properties are not allowed ('" + key + "' was unexpected)");
                }
            }
        }
        JsonBody v = JsonBody.root(body, "volume").allowOnly(req.version().atLeast(16) ? KEYS_316 : KEYS);
        if (!v.has("ref")) {
            throw ManageRequests.required("volume", v.node(), "ref");
        }
        Map<String, Object> ref = ManageRequests.ref(v.node().get("ref"), false);
        String name = v.optionalString("name", 255);
        String description = v.optionalString("description", 255);
        String type = v.optionalString("volume_type", 255);
        String az = v.optionalString("availability_zone", 255);
        String host = v.optionalString("host", 255);
        String cluster = v.optionalString("cluster", 255);
        Map<String, String> metadata = v.optionalStringMap("metadata");
        Boolean bootable = v.optionalBoolean("bootable");
        policy.authorize(req, ManagePolicies.MANAGE_VOLUME);
        String[] clusterHost = ManageRequests.clusterAndHost(req, cluster, host, 16);
        VolumeApiService.VolumePage page = service.manageVolume(req, new ManageService.ManageVolume(clusterHost[1],
                clusterHost[0], ref, name == null || name.isEmpty() ? null : name.strip(),
                description == null || description.isEmpty() ? null : description.strip(), type, metadata, az,
                bootable != null && bootable));
        VolumeEntity created = page.volumes().get(0);
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(Map.of("volume", views.detail(req, created,
                List.of(), page.typeNameOf(created), VolumeViews.Extensions.NONE)));
    }

    @GetMapping({"/v3/{projectId}/os-volume-manage", "/v3/os-volume-manage"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        return listing(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/os-volume-manage/detail", "/v3/os-volume-manage/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        return listing(req, params, true);
    }

    @GetMapping({"/v3/{projectId}/manageable_volumes", "/v3/manageable_volumes"})
    public Map<String, Object> listV38(ApiRequest req, @RequestParam Map<String, String> params) {
        ManageRequests.requireListVersion(req);
        return listing(req, params, false);
    }

    @GetMapping({"/v3/{projectId}/manageable_volumes/detail", "/v3/manageable_volumes/detail"})
    public Map<String, Object> detailV38(ApiRequest req, @RequestParam Map<String, String> params) {
        ManageRequests.requireListVersion(req);
        return listing(req, params, true);
    }

    private Map<String, Object> listing(ApiRequest req, Map<String, String> params, boolean detail) {
        policy.authorize(req, ManagePolicies.LIST_MANAGEABLE_VOLUMES);
        String[] clusterHost = ManageRequests.clusterAndHost(req, params.get("cluster"), params.get("host"), 17);
        return ManageableListing.answer(params, config.maxLimit(), detail, false,
                () -> service.manageable(req, clusterHost[1], clusterHost[0], false));
    }
}
