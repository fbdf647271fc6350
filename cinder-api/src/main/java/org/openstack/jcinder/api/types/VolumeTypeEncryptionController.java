package org.openstack.jcinder.api.types;

import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.EncryptionEntity;
import org.openstack.jcinder.common.db.EncryptionRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.NotFoundException;
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
import tools.jackson.databind.node.ObjectNode;

/**
 * {@code /types/{id}/encryption}: a volume type's encryption spec, stored and shown as Cinder does. No change
 * is allowed while a volume of the type exists. The spec is what the consumer (Nova's os-brick encryptor for
 * {@code front-end}) needs; this service keeps and shows it, it does not encrypt data itself.
 */
@RestController
public class VolumeTypeEncryptionController {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeTypeEncryptionController.class);
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSS");
    private static final Set<String> LOCATIONS = Set.of("front-end", "back-end");

    private final EncryptionRepository encryptions;
    private final VolumeTypeLookup lookup;
    private final VolumeRepository volumes;
    private final PolicyEnforcer policy;

    public VolumeTypeEncryptionController(EncryptionRepository encryptions, VolumeTypeLookup lookup,
                                          VolumeRepository volumes, PolicyEnforcer policy) {
        this.encryptions = encryptions;
        this.lookup = lookup;
        this.volumes = volumes;
        this.policy = policy;
    }

    /** The spec as Cinder shows its database row; {@code {}} when the type is not encrypted. */
    @GetMapping({"/v3/{projectId}/types/{typeId}/encryption", "/v3/types/{typeId}/encryption"})
    public Map<String, Object> show(ApiRequest req, @PathVariable String typeId) {
        policy.authorize(req, TypePolicies.ENCRYPTION_GET);
        lookup.byIdFor(req.context(), typeId);
        return encryptions.findByVolumeTypeId(typeId).map(VolumeTypeEncryptionController::row).orElseGet(Map::of);
    }

    @GetMapping({"/v3/{projectId}/types/{typeId}/encryption/{key}", "/v3/types/{typeId}/encryption/{key}"})
    public Map<String, Object> showKey(ApiRequest req, @PathVariable String typeId, @PathVariable String key) {
        policy.authorize(req, TypePolicies.ENCRYPTION_GET);
        lookup.byIdFor(req.context(), typeId);
        Map<String, Object> row = encryptions.findByVolumeTypeId(typeId).map(VolumeTypeEncryptionController::row)
                .orElseGet(Map::of);
        if (!row.containsKey(key)) {
            throw notFound(typeId);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put(key, row.get(key));
        return out;
    }

    @PostMapping({"/v3/{projectId}/types/{typeId}/encryption", "/v3/types/{typeId}/encryption"})
    @Transactional
    public Map<String, Object> create(ApiRequest req, @PathVariable String typeId, @RequestBody JsonNode body) {
        Spec spec = Spec.parse(body, true);
        policy.authorize(req, TypePolicies.ENCRYPTION_CREATE);
        if (inUse(typeId)) {
            throw new CinderException(400, "Cannot create encryption specs. Volume type in use.");
        }
        lookup.byIdFor(req.context(), typeId);
        if (encryptions.existsByVolumeTypeId(typeId)) {
            throw new CinderException(400, "Volume type encryption for type " + typeId + " already exists.");
        }
        EncryptionEntity e = new EncryptionEntity();
        e.setEncryptionId(UUID.randomUUID().toString());
        e.setVolumeTypeId(typeId);
        e.setCreatedAt(Clock.now());
        spec.applyTo(e);
        encryptions.saveAndFlush(e);
        LOG.info("[{}] Encryption {} ({}, {}) created for volume type {}", req.context().requestId(),
                e.getEncryptionId(), e.getProvider(), e.getControlLocation(), typeId);
        // Cinder answers with the request's spec, to which its database call added the two ids.
        Map<String, Object> out = spec.echo();
        out.put("volume_type_id", typeId);
        out.put("encryption_id", e.getEncryptionId());
        return Map.of("encryption", out);
    }

    @PutMapping({"/v3/{projectId}/types/{typeId}/encryption/{encryptionId}",
            "/v3/types/{typeId}/encryption/{encryptionId}"})
    @Transactional
    public Map<String, Object> update(ApiRequest req, @PathVariable String typeId, @PathVariable String encryptionId,
                                      @RequestBody JsonNode body) {
        Spec spec = Spec.parse(body, false);
        policy.authorize(req, TypePolicies.ENCRYPTION_UPDATE);
        lookup.byIdFor(req.context(), typeId);
        if (inUse(typeId)) {
            throw new CinderException(400, "Cannot update encryption specs. Volume type in use.");
        }
        EncryptionEntity e = encryptions.findByVolumeTypeId(typeId).orElseThrow(() -> notFound(typeId));
        spec.applyTo(e);
        e.setUpdatedAt(Clock.now());
        encryptions.saveAndFlush(e);
        LOG.info("[{}] Encryption {} of volume type {} updated", req.context().requestId(), e.getEncryptionId(),
                typeId);
        return Map.of("encryption", spec.echo());
    }

    @DeleteMapping({"/v3/{projectId}/types/{typeId}/encryption/{encryptionId}",
            "/v3/types/{typeId}/encryption/{encryptionId}"})
    @Transactional
    public ResponseEntity<Void> delete(ApiRequest req, @PathVariable String typeId, @PathVariable String encryptionId) {
        policy.authorize(req, TypePolicies.ENCRYPTION_DELETE);
        if (inUse(typeId)) {
            throw new CinderException(400, "Cannot delete encryption specs. Volume type in use.");
        }
        EncryptionEntity e = encryptions.findByVolumeTypeId(typeId).orElseThrow(() -> notFound(typeId));
        encryptions.delete(e);
        encryptions.flush();
        LOG.info("[{}] Encryption {} of volume type {} deleted", req.context().requestId(), e.getEncryptionId(),
                typeId);
        return ResponseEntity.status(HttpStatus.ACCEPTED).build();
    }

    private boolean inUse(String typeId) {
        return volumes.countByVolumeTypeIdAndDeletedFalse(typeId) > 0;
    }

    private static NotFoundException notFound(String typeId) {
        return new NotFoundException("Volume type encryption for type " + typeId + " does not exist.");
    }

    static Map<String, Object> row(EncryptionEntity e) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("volume_type_id", e.getVolumeTypeId());
        m.put("encryption_id", e.getEncryptionId());
        m.put("cipher", e.getCipher());
        m.put("key_size", e.getKeySize());
        m.put("provider", e.getProvider());
        m.put("control_location", e.getControlLocation());
        m.put("created_at", time(e.getCreatedAt()));
        m.put("updated_at", time(e.getUpdatedAt()));
        m.put("deleted_at", null);
        m.put("deleted", false);
        return m;
    }

    private static String time(LocalDateTime t) {
        return t == null ? null : TIME.format(t);
    }

    /** The {@code encryption} object of a create or update, checked as Cinder's schema checks it. */
    record Spec(ObjectNode raw, String provider, String controlLocation, boolean hasCipher, String cipher,
                boolean hasKeySize, Integer keySize) {

        static Spec parse(JsonNode body, boolean create) {
            JsonBody b = JsonBody.root(body, "encryption");
            JsonBody.of(body).allowOnly(Set.of("encryption"));
            if (create) {
                for (String required : new String[] {"provider", "control_location"}) {
                    if (!b.has(required)) {
                        throw JsonBody.bad("'" + required + "' is a required property");
                    }
                }
            }
            String provider = null;
            if (b.has("provider")) {
                JsonNode v = b.node().get("provider");
                if (!v.isString()) {
                    throw invalid("provider", v, v + " is not of type 'string'");
                }
                provider = b.optionalString("provider", 255);
            }
            String location = null;
            if (b.has("control_location")) {
                JsonNode v = b.node().get("control_location");
                if (!v.isString() || !LOCATIONS.contains(v.stringValue())) {
                    throw invalid("control_location", v, repr(v) + " is not one of ['front-end', 'back-end']");
                }
                location = v.stringValue();
            }
            String cipher = b.has("cipher") ? b.optionalString("cipher", 255) : null;
            Integer keySize = null;
            if (b.has("key_size") && !b.node().get("key_size").isNull()) {
                JsonNode v = b.node().get("key_size");
                long value;
                if (v.isIntegralNumber() && v.canConvertToInt()) {
                    value = v.intValue();
                } else if (v.isString() && v.stringValue().strip().matches("-?\\d{1,10}")) {
                    value = Long.parseLong(v.stringValue().strip());
                } else if (v.isString()) {
                    throw invalid("key_size", v, repr(v) + " is not a 'key_size'");
                } else {
                    throw invalid("key_size", v, v + " is not of type 'string', 'integer', 'null'");
                }
                if (value < 0 || value > Integer.MAX_VALUE) {
                    throw invalid("key_size", v, value < 0 ? value + " is less than the minimum of 0"
                            : value + " is greater than the maximum of " + Integer.MAX_VALUE);
                }
                keySize = (int) value;
            }
            return new Spec((ObjectNode) b.node(), provider, location, b.has("cipher"), cipher,
                    b.has("key_size"), keySize);
        }

        void applyTo(EncryptionEntity e) {
            if (provider != null) {
                e.setProvider(provider);
            }
            if (controlLocation != null) {
                e.setControlLocation(controlLocation);
            }
            if (hasCipher) {
                e.setCipher(cipher);
            }
            if (hasKeySize) {
                e.setKeySize(keySize);
            }
        }

        /** The request's spec as Cinder returns it: as sent, key_size made an integer. */
        Map<String, Object> echo() {
            Map<String, Object> out = new LinkedHashMap<>();
            for (var e : raw.properties()) {
                out.put(e.getKey(), e.getValue());
            }
            if (hasKeySize) {
                out.put("key_size", keySize);
            }
            return out;
        }

        private static String repr(JsonNode v) {
            return v.isString() ? "'" + v.stringValue() + "'" : v.toString();
        }

        private static CinderException invalid(String key, JsonNode v, String detail) {
            return new CinderException(400, "Invalid input for field/attribute " + key + ". Value: "
                    + (v.isString() ? v.stringValue() : v.toString()) + ". " + detail);
        }
    }
}
