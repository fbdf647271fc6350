package org.openstack.jcinder.api.qos;

import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.types.SpecMaps;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.QosSpecsEntity;
import org.openstack.jcinder.common.db.QosSpecsRepository;
import org.openstack.jcinder.common.db.VolumeTypeEntity;
import org.openstack.jcinder.common.db.VolumeTypeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
import org.openstack.jcinder.common.exception.VolumeTypeNotFoundException;
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
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import tools.jackson.databind.JsonNode;

/**
 * {@code /v3/[project/]qos-specs}: QoS specs and their association with volume types, with Cinder's admin-only
 * policies, views ({@code cinder/api/views/qos_specs.py}), codes and messages. The {@code consumer} says who
 * enforces the limits: {@code back-end} (the default), {@code front-end} (the hypervisor) or {@code both}.
 */
@RestController
public class QosSpecsController {

    private static final Logger LOG = LoggerFactory.getLogger(QosSpecsController.class);
    private static final List<String> CONSUMERS = List.of("back-end", "front-end", "both");
    /** What Cinder prints for its consumer enum field (the field's repr) in "Valid consumer" messages. */
    private static final String CONSUMER_FIELD = "QoSConsumerValues(default=<class "
            + "'oslo_versionedobjects.fields.UnspecifiedDefault'>,nullable=False,valid_values=('back-end', "
            + "'front-end', 'both'))";
    private static final Set<String> TRUE = Set.of("1", "t", "true", "on", "y", "yes");
    private static final Set<String> FALSE = Set.of("0", "f", "false", "off", "n", "no");

    private final QosSpecsRepository specs;
    private final VolumeTypeRepository types;
    private final PolicyEnforcer policy;

    public QosSpecsController(QosSpecsRepository specs, VolumeTypeRepository types, PolicyEnforcer policy) {
        this.specs = specs;
        this.types = types;
        this.policy = policy;
    }

    @GetMapping({"/v3/{projectId}/qos-specs", "/v3/qos-specs"})
    public Map<String, Object> list(ApiRequest req, @RequestParam(required = false) String id,
                                    @RequestParam(required = false) String name,
                                    @RequestParam(required = false) String consumer) {
        policy.authorize(req, QosPolicies.GET_ALL);
        List<Map<String, Object>> out = specs.findAll().stream()
                .filter(s -> id == null || id.equals(s.getId()))
                .filter(s -> name == null || name.equals(s.getName()))
                .filter(s -> consumer == null || consumer.equals(s.getConsumer()))
                .sorted(Comparator.comparing(QosSpecsEntity::getCreatedAt).thenComparing(QosSpecsEntity::getId)
                        .reversed())
                .map(QosSpecsController::item).toList();
        return Map.of("qos_specs", out);
    }

    @GetMapping({"/v3/{projectId}/qos-specs/{specsId}", "/v3/qos-specs/{specsId}"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String specsId) {
        policy.authorize(req, QosPolicies.GET);
        return detail(req, get(specsId));
    }

    @PostMapping({"/v3/{projectId}/qos-specs", "/v3/qos-specs"})
    @Transactional
    public Map<String, Object> create(ApiRequest req, @RequestBody JsonNode body) {
        JsonBody b = JsonBody.root(body, "qos_specs");
        JsonBody.of(body).allowOnly(Set.of("qos_specs"));
        String name = b.requiredString("name", 1, 255).strip();
        Map<String, String> given = new LinkedHashMap<>();
        for (Map.Entry<String, JsonNode> e : b.node().properties()) {
            if (!e.getKey().equals("name")) {
                given.put(e.getKey(), stringValue(e.getKey(), e.getValue()));
            }
        }
        policy.authorize(req, QosPolicies.CREATE);
        String consumer = given.containsKey("consumer") ? given.remove("consumer") : null;
        if (consumer != null && !CONSUMERS.contains(consumer)) {
            throw invalidConsumer();
        }
        if (specs.findByName(name).isPresent()) {
            throw new CinderException(409, "QoS Specs " + name + " already exists.");
        }
        QosSpecsEntity s = new QosSpecsEntity();
        s.setId(UUID.randomUUID().toString());
        s.setName(name);
        s.setConsumer(consumer == null ? "back-end" : consumer);
        s.getSpecs().putAll(given);
        s.setCreatedAt(Clock.now());
        specs.saveAndFlush(s);
        LOG.info("[{}] QoS specs {} ({}) created, consumer {}", req.context().requestId(), s.getId(), name,
                s.getConsumer());
        return detail(req, s);
    }

    /** Sets keys (and maybe the consumer); answers with the request body, as Cinder does. */
    @PutMapping({"/v3/{projectId}/qos-specs/{specsId}", "/v3/qos-specs/{specsId}"})
    @Transactional
    public JsonNode update(ApiRequest req, @PathVariable String specsId, @RequestBody JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JsonBody.bad("The request body must be a JSON object.");
        }
        if (body.get("qos_specs") == null) {
            throw JsonBody.bad("'qos_specs' is a required property");
        }
        JsonBody.of(body).allowOnly(Set.of("qos_specs"));
        Map<String, String> given = SpecMaps.parse("qos_specs", body.get("qos_specs"), SpecMaps.KEYS);
        policy.authorize(req, QosPolicies.UPDATE);
        QosSpecsEntity s = get(specsId);
        if (given.containsKey("consumer")) {
            String consumer = given.remove("consumer");
            if (!CONSUMERS.contains(consumer)) {
                throw invalidConsumer();
            }
            s.setConsumer(consumer);
        }
        s.getSpecs().putAll(given);
        s.setUpdatedAt(Clock.now());
        specs.saveAndFlush(s);
        LOG.info("[{}] QoS specs {} updated: {}", req.context().requestId(), specsId, given.keySet());
        return body;
    }

    @DeleteMapping({"/v3/{projectId}/qos-specs/{specsId}", "/v3/qos-specs/{specsId}"})
    @Transactional
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String specsId,
                                       @RequestParam(required = false) String force) {
        policy.authorize(req, QosPolicies.DELETE);
        boolean forced = bool("force", force);
        QosSpecsEntity s = get(specsId);
        List<VolumeTypeEntity> associated = types.findByQosSpecsIdAndDeletedFalseOrderByName(specsId);
        if (!associated.isEmpty()) {
            if (!forced) {
                throw new CinderException(400, "Qos specs still in use.");
            }
            associated.forEach(t -> t.setQosSpecsId(null));
            types.saveAllAndFlush(associated);
        }
        specs.delete(s);
        specs.flush();
        LOG.info("[{}] QoS specs {} deleted (force={}, {} type(s) disassociated)", req.context().requestId(),
                specsId, forced, associated.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    /** Deletes keys in order until one is missing (404); those before it stay deleted, as in Cinder. */
    @PutMapping({"/v3/{projectId}/qos-specs/{specsId}/delete_keys", "/v3/qos-specs/{specsId}/delete_keys"})
    @Transactional(noRollbackFor = NotFoundException.class)
    public ResponseEntity<Void> deleteKeys(ApiRequest req, @PathVariable String specsId, @RequestBody JsonNode body) {
        List<String> keys = keys(body);
        policy.authorize(req, QosPolicies.DELETE);
        QosSpecsEntity s = get(specsId);
        try {
            for (String key : keys) {
                if (!s.getSpecs().containsKey(key)) {
                    throw new NotFoundException("QoS spec " + specsId + " has no spec with key " + key + ".");
                }
                s.getSpecs().remove(key);
            }
        } finally {
            s.setUpdatedAt(Clock.now());
            specs.saveAndFlush(s);
        }
        LOG.info("[{}] QoS specs {}: keys {} deleted", req.context().requestId(), specsId, keys);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @GetMapping({"/v3/{projectId}/qos-specs/{specsId}/associations", "/v3/qos-specs/{specsId}/associations"})
    public Map<String, Object> associations(ApiRequest req, @PathVariable String specsId) {
        policy.authorize(req, QosPolicies.GET_ALL);
        get(specsId);
        List<Map<String, Object>> out = types.findByQosSpecsIdAndDeletedFalseOrderByName(specsId).stream()
                .map(t -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("association_type", "volume_type");
                    m.put("name", t.getName());
                    m.put("id", t.getId());
                    return m;
                }).toList();
        return Map.of("qos_associations", out);
    }

    @GetMapping({"/v3/{projectId}/qos-specs/{specsId}/associate", "/v3/qos-specs/{specsId}/associate"})
    @Transactional
    public ResponseEntity<Void> associate(ApiRequest req, @PathVariable String specsId,
                                          @RequestParam(name = "vol_type_id", required = false) String typeId) {
        policy.authorize(req, QosPolicies.UPDATE);
        requireTypeId(typeId);
        get(specsId);
        VolumeTypeEntity type = type(typeId);
        if (type.getQosSpecsId() != null && !type.getQosSpecsId().equals(specsId)) {
            throw new CinderException(400, "Invalid volume type: Type " + typeId + " is already associated with "
                    + "another qos specs: " + type.getQosSpecsId());
        }
        type.setQosSpecsId(specsId);
        types.saveAndFlush(type);
        LOG.info("[{}] QoS specs {} associated with volume type {}", req.context().requestId(), specsId, typeId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @GetMapping({"/v3/{projectId}/qos-specs/{specsId}/disassociate", "/v3/qos-specs/{specsId}/disassociate"})
    @Transactional
    public ResponseEntity<Void> disassociate(ApiRequest req, @PathVariable String specsId,
                                             @RequestParam(name = "vol_type_id", required = false) String typeId) {
        policy.authorize(req, QosPolicies.UPDATE);
        requireTypeId(typeId);
        get(specsId);
        VolumeTypeEntity type = type(typeId);
        if (specsId.equals(type.getQosSpecsId())) {
            type.setQosSpecsId(null);
            types.saveAndFlush(type);
        }
        LOG.info("[{}] QoS specs {} disassociated from volume type {}", req.context().requestId(), specsId, typeId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    @GetMapping({"/v3/{projectId}/qos-specs/{specsId}/disassociate_all", "/v3/qos-specs/{specsId}/disassociate_all"})
    @Transactional
    public ResponseEntity<Void> disassociateAll(ApiRequest req, @PathVariable String specsId) {
        policy.authorize(req, QosPolicies.UPDATE);
        get(specsId);
        List<VolumeTypeEntity> associated = types.findByQosSpecsIdAndDeletedFalseOrderByName(specsId);
        associated.forEach(t -> t.setQosSpecsId(null));
        types.saveAllAndFlush(associated);
        LOG.info("[{}] QoS specs {} disassociated from all {} volume type(s)", req.context().requestId(), specsId,
                associated.size());
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private QosSpecsEntity get(String specsId) {
        return specs.findById(specsId).orElseThrow(() -> new NotFoundException("No such QoS spec " + specsId + "."));
    }

    private VolumeTypeEntity type(String typeId) {
        return types.findByIdAndDeletedFalse(typeId).orElseThrow(() -> new VolumeTypeNotFoundException(typeId));
    }

    private static void requireTypeId(String typeId) {
        if (typeId == null || typeId.isEmpty()) {
            throw new CinderException(400, "Volume Type id must not be None.");
        }
    }

    private static CinderException invalidConsumer() {
        return new CinderException(400, "Invalid qos specs: Valid consumer of QoS specs are: " + CONSUMER_FIELD);
    }

    /** Cinder's {@code utils.get_bool_param}: absent is false, else a strict boolean. */
    private static boolean bool(String name, String value) {
        if (value == null) {
            return false;
        }
        String v = value.strip().toLowerCase(java.util.Locale.ROOT);
        if (TRUE.contains(v)) {
            return true;
        }
        if (FALSE.contains(v)) {
            return false;
        }
        throw new CinderException(400, "Value '" + value + "' for '" + name + "' is not a boolean.");
    }

    /** A spec value given at create: a string (at most 255 characters) or null, under a key of 1–255. */
    private static String stringValue(String key, JsonNode v) {
        if (key.isEmpty() || key.length() > 255) {
            throw JsonBody.bad("'" + key + "' exceeds maximum length of 255.");
        }
        if (v.isNull()) {
            return null;
        }
        if (!v.isString()) {
            throw JsonBody.bad(key + " is not a string or unicode");
        }
        if (v.stringValue().length() > 255) {
            throw JsonBody.bad(key + " has more than 255 characters.");
        }
        return v.stringValue();
    }

    private static List<String> keys(JsonNode body) {
        if (body == null || !body.isObject()) {
            throw JsonBody.bad("The request body must be a JSON object.");
        }
        JsonNode keys = body.get("keys");
        if (keys == null) {
            throw JsonBody.bad("'keys' is a required property");
        }
        JsonBody.of(body).allowOnly(Set.of("keys"));
        if (!keys.isArray()) {
            throw new CinderException(400, "Invalid input for field/attribute keys. Value: " + keys + ". " + keys
                    + " is not of type 'array'");
        }
        List<String> out = new java.util.ArrayList<>();
        for (JsonNode k : keys) {
            if (!k.isString() || k.stringValue().isEmpty() || k.stringValue().length() > 255) {
                throw new CinderException(400, "Invalid input for field/attribute keys. Value: " + keys + ". " + k
                        + (k.isString() ? " is too " + (k.stringValue().isEmpty() ? "short" : "long")
                        : " is not of type 'string'"));
            }
            if (out.contains(k.stringValue())) {
                throw new CinderException(400, "Invalid input for field/attribute keys. Value: " + keys + ". "
                        + keys + " has non-unique elements");
            }
            out.add(k.stringValue());
        }
        return out;
    }

    private static Map<String, Object> item(QosSpecsEntity s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", s.getId());
        m.put("name", s.getName());
        m.put("consumer", s.getConsumer());
        m.put("specs", new LinkedHashMap<>(s.getSpecs()));
        return m;
    }

    /** The detail view: the specs and Cinder's self and bookmark links (built on the caller's project). */
    private static Map<String, Object> detail(ApiRequest req, QosSpecsEntity s) {
        String project = req.projectId();
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("qos_specs", item(s));
        out.put("links", List.of(
                Map.of("rel", "self", "href", req.baseUrl() + "/v3/" + project + "/qos-specs/" + s.getId()),
                Map.of("rel", "bookmark", "href", req.baseUrl() + "/" + project + "/qos-specs/" + s.getId())));
        return out;
    }
}
