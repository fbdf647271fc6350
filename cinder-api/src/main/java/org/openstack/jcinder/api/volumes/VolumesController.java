package org.openstack.jcinder.api.volumes;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.api.web.Paging;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidInputException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/** {@code /v3/[project/]volumes}: create, list, show, update, delete, metadata. */
@RestController
public class VolumesController {

    /**
     * The properties of Cinder's create schema from 3.53 ({@code create_volume_v353}), the first version whose
     * schema refuses any other key; before it, other keys are accepted and ignored.
     */
    private static final Set<String> CREATE_KEYS = Set.of("size", "name", "description", "display_name",
            "display_description", "volume_type", "availability_zone", "metadata", "multiattach",
            "consistencygroup_id", "snapshot_id", "source_volid", "backup_id", "imageRef", "image_id", "group_id");
    private static final int SUPPORT_VOLUME_SCHEMA_CHANGES = 53;
    private static final int VOLUME_DELETE_FORCE = 23;
    private static final Set<String> UNSUPPORTED_SOURCES = Set.of("backup_id", "imageRef", "image_id");

    private final VolumeApiService service;
    private final VolumeViews views;
    private final CinderConfig config;
    private final PolicyEnforcer policy;

    public VolumesController(VolumeApiService service, VolumeViews views, CinderConfig config,
                             PolicyEnforcer policy) {
        this.service = service;
        this.views = views;
        this.config = config;
        this.policy = policy;
    }

    @PostMapping({"/v3/{projectId}/volumes", "/v3/volumes"})
    public ResponseEntity<Map<String, Object>> create(ApiRequest req, @RequestBody JsonNode body) {
        if (body != null && body.isObject()) {
            for (String key : body.propertyNames()) {
                if (!key.equals("volume") && !key.equals("OS-SCH-HNT:scheduler_hints")) {
                    throw JsonBody.bad("Additional properties are not allowed ('" + key + "' was unexpected)");
                }
            }
        }
        JsonBody v = JsonBody.root(body, "volume");
        if (req.version().atLeast(SUPPORT_VOLUME_SCHEMA_CHANGES)) {
            v.allowOnly(CREATE_KEYS);
        }
        // Cinder looks the sources up before anything else: a missing one is its 404, not "unsupported".
        String snapshotId = optionalUuid(v, "snapshot_id");
        String sourceVolid = optionalUuid(v, "source_volid");
        // Cinder: consistencygroup_id names a group too (a CG is a group of the reserved type); group_id wins.
        String consistencyGroupId = optionalUuid(v, "consistencygroup_id");
        String groupId = optionalUuid(v, "group_id");
        if (groupId == null) {
            groupId = consistencyGroupId;
        }
        SnapshotEntity snapshot = snapshotId == null ? null : service.requireSnapshot(req, snapshotId);
        VolumeEntity sourceVolume = sourceVolid == null ? null : service.get(req, sourceVolid);
        for (String source : UNSUPPORTED_SOURCES) {
            if (v.has(source) && !v.node().get(source).isNull()) {
                throw new InvalidInputException("creating a volume from " + source + " is not supported by this "
                        + "service yet");
            }
        }
        Integer size = v.optionalInteger("size", 1);
        if (size == null && snapshot != null) {
            size = snapshot.getVolumeSize();
        }
        if (size == null && sourceVolume != null) {
            size = sourceVolume.getSize();
        }
        if (size == null) {
            throw JsonBody.bad("'size' is a required property");
        }
        String sourceTypeId = null;
        if (snapshot != null) {
            // Cinder's create flow: only an available snapshot, never into a smaller volume.
            if (!"available".equals(snapshot.getStatus())) {
                throw new CinderException(400, "Invalid snapshot: Originating snapshot status must be one of "
                        + "'available' values");
            }
            if (size < snapshot.getVolumeSize()) {
                throw new InvalidInputException("Volume size '" + size + "'GB cannot be smaller than the snapshot "
                        + "size " + snapshot.getVolumeSize() + "GB. They must be >= original snapshot size.");
            }
            sourceTypeId = snapshot.getVolumeTypeId();
        }
        if (sourceVolume != null) {
            if (sourceVolume.getStatus() != VolumeStatus.AVAILABLE && sourceVolume.getStatus() != VolumeStatus.IN_USE) {
                throw new InvalidVolumeException("Originating source volume status must be one of 'available, "
                        + "in-use' values");
            }
            if (size < sourceVolume.getSize()) {
                throw new InvalidInputException("Volume size '" + size + "'GB cannot be smaller than original "
                        + "volume size  " + sourceVolume.getSize() + "GB. They must be >= original volume size.");
            }
            sourceTypeId = sourceVolume.getVolumeTypeId();
        }
        String name = v.has("name") ? v.optionalString("name", 255) : v.optionalString("display_name", 255);
        String description = v.has("description") ? v.optionalString("description", 255)
                : v.optionalString("display_description", 255);
        String type = v.optionalString("volume_type", 255);
        String az = v.optionalString("availability_zone", 255);
        Map<String, String> metadata = v.optionalStringMap("metadata");
        Boolean multiattach = v.optionalBoolean("multiattach");
        VolumeApiService.VolumePage created = service.create(req, new VolumeApiService.CreateRequest(size, name, description, type,
                az, metadata, multiattach != null && multiattach, snapshotId, sourceVolid, sourceTypeId, groupId));
        return ResponseEntity.status(HttpStatus.ACCEPTED)
                .body(Map.of("volume", detailOf(req, created, VolumeViews.Extensions.NONE)));
    }

    /** Cinder's {@code optional_uuid}: null, or a string oslo's {@code is_uuid_like} accepts. */
    private static String optionalUuid(JsonBody v, String key) {
        JsonNode node = v.node().get(key);
        if (node == null || node.isNull()) {
            return null;
        }
        if (!node.isString() || !uuidLike(node.stringValue())) {
            throw new CinderException(400, "Invalid input for field/attribute " + key + ". Value: "
                    + (node.isString() ? node.stringValue() : PyRepr.of(node)) + ". " + PyRepr.of(node)
                    + " is not valid under any of the given schemas");
        }
        return node.stringValue();
    }

    private static boolean uuidLike(String s) {
        String hex = s.toLowerCase().replace("urn:", "").replace("uuid:", "").replaceAll("[{}-]", "");
        return hex.matches("[0-9a-f]{32}");
    }

    @GetMapping({"/v3/{projectId}/volumes", "/v3/volumes"})
    public Map<String, Object> list(ApiRequest req, @RequestParam Map<String, String> params) {
        List<VolumeEntity> page = page(req, params, false).volumes();
        List<Map<String, Object>> out = new ArrayList<>(page.size());
        for (VolumeEntity v : page) {
            out.add(views.summary(req, v));
        }
        return withLinks(req, "volumes", out, page, params);
    }

    @GetMapping({"/v3/{projectId}/volumes/detail", "/v3/volumes/detail"})
    public Map<String, Object> detail(ApiRequest req, @RequestParam Map<String, String> params) {
        VolumeApiService.VolumePage page = page(req, params, true);
        List<Object> out = new ArrayList<>(page.volumes().size());
        VolumeViews.Extensions extensions = views.extensions(req);
        for (VolumeEntity v : page.volumes()) {
            out.add(views.detail(req, v, page.attachmentsOf(v), page.typeNameOf(v), extensions));
        }
        return withLinks(req, "volumes/detail", out, page.volumes(), params);
    }

    @GetMapping({"/v3/{projectId}/volumes/{volumeId}", "/v3/volumes/{volumeId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String volumeId) {
        return Map.of("volume", detailOf(req, service.show(req, volumeId), views.extensions(req)));
    }

    @PutMapping({"/v3/{projectId}/volumes/{volumeId}", "/v3/volumes/{volumeId}"})
    public Map<String, Object> update(ApiRequest req, @PathVariable String volumeId, @RequestBody JsonNode body) {
        JsonBody v = JsonBody.root(body, "volume").allowOnly(Set.of("name", "description", "display_name",
                "display_description", "metadata"));
        if (v.node().size() == 0) {
            throw JsonBody.bad("{} does not have enough properties");
        }
        boolean nameGiven = v.has("name") || v.has("display_name");
        String name = v.has("name") ? v.optionalString("name", 255) : v.optionalString("display_name", 255);
        boolean descriptionGiven = v.has("description") || v.has("display_description");
        String description = v.has("description") ? v.optionalString("description", 255)
                : v.optionalString("display_description", 255);
        Map<String, String> metadata = v.optionalStringMap("metadata");
        return Map.of("volume", detailOf(req, service.update(req, volumeId, name, nameGiven, description,
                descriptionGiven, metadata), VolumeViews.Extensions.NONE));
    }

    private Object detailOf(ApiRequest req, VolumeApiService.VolumePage one, VolumeViews.Extensions extensions) {
        VolumeEntity v = one.volumes().get(0);
        return views.detail(req, v, one.attachmentsOf(v), one.typeNameOf(v), extensions);
    }

    @DeleteMapping({"/v3/{projectId}/volumes/{volumeId}", "/v3/volumes/{volumeId}"})
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String volumeId,
                                       @RequestParam Map<String, String> params) {
        boolean cascade = boolParam(params, "cascade");
        // Cinder reads force from 3.23 only; before, the parameter is ignored.
        boolean force = req.version().atLeast(VOLUME_DELETE_FORCE) && boolParam(params, "force");
        service.delete(req, volumeId, cascade, force);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** Cinder's {@code utils.get_bool_param}: absent is false; else oslo's strict boolean strings. */
    private static boolean boolParam(Map<String, String> params, String name) {
        String value = params.get(name);
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase();
        if (Set.of("1", "t", "true", "on", "y", "yes").contains(v)) {
            return true;
        }
        if (Set.of("0", "f", "false", "off", "n", "no").contains(v)) {
            return false;
        }
        throw new CinderException(400, "Value '" + value + "' for '" + name + "' is not a boolean.");
    }

    @GetMapping({"/v3/{projectId}/volumes/{volumeId}/metadata", "/v3/volumes/{volumeId}/metadata"})
    public Map<String, Object> metadata(ApiRequest req, @PathVariable String volumeId) {
        return Map.of("metadata", service.metadata(req, volumeId));
    }

    @PostMapping({"/v3/{projectId}/volumes/{volumeId}/metadata", "/v3/volumes/{volumeId}/metadata"})
    public Map<String, Object> mergeMetadata(ApiRequest req, @PathVariable String volumeId,
                                             @RequestBody JsonNode body) {
        return Map.of("metadata", service.mergeMetadata(req, volumeId, metadataBody(body)));
    }

    @PutMapping({"/v3/{projectId}/volumes/{volumeId}/metadata", "/v3/volumes/{volumeId}/metadata"})
    public Map<String, Object> replaceMetadata(ApiRequest req, @PathVariable String volumeId,
                                               @RequestBody JsonNode body) {
        return Map.of("metadata", service.replaceMetadata(req, volumeId, metadataBody(body)));
    }

    @GetMapping({"/v3/{projectId}/volumes/{volumeId}/metadata/{key}", "/v3/volumes/{volumeId}/metadata/{key}"})
    public Map<String, Object> metadataItem(ApiRequest req, @PathVariable String volumeId, @PathVariable String key) {
        return Map.of("meta", Map.of(key, service.metadataItem(req, volumeId, key)));
    }

    /** Cinder's {@code update}: one key, named both in the URL and the body; answers the item as given. */
    @PutMapping({"/v3/{projectId}/volumes/{volumeId}/metadata/{key}", "/v3/volumes/{volumeId}/metadata/{key}"})
    public Map<String, Object> updateMetadataItem(ApiRequest req, @PathVariable String volumeId,
                                                  @PathVariable String key, @RequestBody JsonNode body) {
        // Cinder's schema (metadata_restricted_properties), with its validator's messages.
        if (body == null || !body.isObject()) {
            throw new CinderException(400, PyRepr.of(body) + " is not of type 'object'");
        }
        for (String k : body.propertyNames()) {
            if (!k.equals("meta")) {
                throw new CinderException(400, "Additional properties are not allowed ('" + k + "' was unexpected)");
            }
        }
        JsonNode meta = body.get("meta");
        if (meta == null) {
            throw new CinderException(400, "'meta' is a required property");
        }
        Map<String, String> item = JsonBody.stringMap("meta", meta);
        if (item.isEmpty()) {
            throw new CinderException(400, "Invalid input for field/attribute meta. Value: {}. {} does not have "
                    + "enough properties");
        }
        if (item.size() > 1) {
            throw new CinderException(400, "Invalid input for field/attribute meta. Value: " + PyRepr.of(meta)
                    + ". " + PyRepr.of(meta) + " has too many properties");
        }
        if (!item.containsKey(key)) {
            throw new CinderException(400, "Request body and URI mismatch");
        }
        service.mergeMetadata(req, volumeId, item);
        return Map.of("meta", item);
    }

    @DeleteMapping({"/v3/{projectId}/volumes/{volumeId}/metadata/{key}", "/v3/volumes/{volumeId}/metadata/{key}"})
    public ResponseEntity<Void> deleteMetadata(ApiRequest req, @PathVariable String volumeId,
                                               @PathVariable String key) {
        service.deleteMetadataKey(req, volumeId, key);
        return ResponseEntity.ok().build();
    }

    private static Map<String, String> metadataBody(JsonNode body) {
        if (body == null || !body.isObject() || body.get("metadata") == null) {
            throw JsonBody.bad("Missing required element 'metadata' in request body.");
        }
        return JsonBody.stringMap("metadata", body.get("metadata"));
    }

    private VolumeApiService.VolumePage page(ApiRequest req, Map<String, String> params, boolean withDetails) {
        int limit = Paging.limit(params, config.maxLimit());
        int offset = Paging.offset(params);
        if (params.containsKey("sort") && (params.containsKey("sort_key") || params.containsKey("sort_dir"))) {
            throw new CinderException(400, "The 'sort_key' and 'sort_dir' parameters are deprecated and cannot be "
                    + "used with the 'sort' parameter.");
        }
        List<VolumeQuery.SortKey> sort = VolumeQuery.parseSort(params.get("sort"), params.get("sort_key"),
                params.get("sort_dir"));
        policy.authorize(req, VolumePolicies.GET_ALL);
        // Cinder drops all_tenants for a non-admin context rather than refusing it.
        boolean admin = policy.isAdmin(req);
        boolean allTenants = admin && truthy(params.get("all_tenants"));
        String project = allTenants ? params.get("project_id") : req.projectId();
        if (limit == 0) {
            return new VolumeApiService.VolumePage(List.of(), Map.of(), Map.of());
        }
        // The offset applies after the marker, as in Cinder; the rows it skips are read and dropped.
        VolumeQuery q = new VolumeQuery(project, params.get("name"), params.get("status"),
                sort, (int) Math.min((long) limit + offset, Integer.MAX_VALUE),
                params.get("marker"), !admin, MetadataFilter.parse(params.get("metadata")));
        if (offset > 0) {
            VolumeApiService.VolumePage all = service.list(q, withDetails);
            List<VolumeEntity> rows = all.volumes();
            return new VolumeApiService.VolumePage(rows.subList(Math.min(offset, rows.size()), rows.size()),
                    all.attachments(), all.typeNames());
        }
        return service.list(q, withDetails);
    }

    private Map<String, Object> withLinks(ApiRequest req, String path, List<?> items,
                                          List<VolumeEntity> page, Map<String, String> params) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("volumes", items);
        int limit = Paging.limit(params, config.maxLimit());
        if (!page.isEmpty() && page.size() == limit) {
            StringBuilder href = new StringBuilder(req.v3Url()).append('/').append(path).append('?');
            params.forEach((k, val) -> {
                if (!k.equals("marker")) {
                    href.append(k).append('=').append(java.net.URLEncoder.encode(val,
                            java.nio.charset.StandardCharsets.UTF_8)).append('&');
                }
            });
            href.append("marker=").append(page.get(page.size() - 1).getId());
            out.put("volumes_links", List.of(Map.of("href", href.toString(), "rel", "next")));
        }
        return out;
    }

    private static boolean truthy(String v) {
        return v != null && (v.equals("1") || v.equalsIgnoreCase("true") || v.equalsIgnoreCase("yes"));
    }
}
