package org.openstack.jcinder.api.actions;

import java.util.List;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.volumes.VolumePolicies;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.policy.PolicyTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

/**
 * Cinder's {@code os-set_bootable}, {@code os-update_readonly_flag} and {@code os-force_delete}: the body is
 * checked first (Cinder's schemas), then the volume is looked up (404), then the policy, then the state.
 */
@Service
public class VolumeFlagActions {

    private static final Logger LOG = LoggerFactory.getLogger(VolumeFlagActions.class);

    /** Cinder's {@code parameter_types.boolean}: these and nothing else, then read by oslo's strict parser. */
    private static final List<Object> BOOLEANS = List.of(true, "True", "TRUE", "true", "1", "ON", "On", "on",
            "YES", "Yes", "yes", "y", "t", false, "False", "FALSE", "false", "0", "OFF", "Off", "off", "NO", "No",
            "no", "n", "f");
    private static final String BOOLEANS_TEXT = "[True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', "
            + "'Yes', 'yes', 'y', 't', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', "
            + "'no', 'n', 'f']";

    private final VolumeApiService volumesApi;
    private final VolumeRepository volumes;
    private final PolicyEnforcer policy;

    public VolumeFlagActions(VolumeApiService volumesApi, VolumeRepository volumes, PolicyEnforcer policy) {
        this.volumesApi = volumesApi;
        this.volumes = volumes;
        this.policy = policy;
    }

    /** {@code os-set_bootable}: Cinder's volume update of one field (policy {@code volume:update}). */
    public void setBootable(ApiRequest req, String volumeId, JsonNode args) {
        boolean bootable = flag(args, "os-set_bootable", "bootable");
        VolumeEntity v = volumesApi.get(req, volumeId);
        policy.authorize(req, VolumePolicies.UPDATE, PolicyTarget.owner(v.getProjectId(), v.getUserId()));
        if (v.getStatus() == VolumeStatus.MAINTENANCE) {
            throw new InvalidVolumeException("The volume cannot be updated during maintenance.");
        }
        volumes.setBootable(volumeId, bootable, Clock.now());
        LOG.info("Volume {} bootable set to {} (request {})", volumeId, bootable, req.context().requestId());
    }

    /**
     * {@code os-update_readonly_flag}: an available volume's {@code readonly} admin metadata, {@code True} or
     * {@code False} as Cinder writes it; the volume views show it among the metadata.
     */
    public void updateReadonly(ApiRequest req, String volumeId, JsonNode args) {
        boolean readonly = flag(args, "os-update_readonly_flag", "readonly");
        VolumeEntity v = volumesApi.get(req, volumeId);
        policy.authorize(req, VolumeFlagPolicies.UPDATE_READONLY, PolicyTarget.owner(v.getProjectId(),
                v.getUserId()));
        if (v.getStatus() != VolumeStatus.AVAILABLE) {
            throw new InvalidVolumeException("Volume " + volumeId + " status must be available to update readonly "
                    + "flag, but current status is: " + v.getStatus().wire() + ".");
        }
        v.getAdminMetadata().put("readonly", readonly ? "True" : "False");
        v.setUpdatedAt(Clock.now());
        volumes.saveAndFlush(v);
        LOG.info("Volume {} readonly set to {} (request {})", volumeId, readonly, req.context().requestId());
    }

    /** {@code os-force_delete} (admins by default): a delete without Cinder's status condition. */
    public void forceDelete(ApiRequest req, String volumeId) {
        VolumeEntity v = volumesApi.get(req, volumeId);
        policy.authorize(req, VolumeFlagPolicies.FORCE_DELETE, PolicyTarget.owner(v.getProjectId(), v.getUserId()));
        volumesApi.delete(req, v, true);
        LOG.info("Volume {} force-deleted from status {} (request {})", volumeId, v.getStatus().wire(),
                req.context().requestId());
    }

    /**
     * The one boolean property {@code key} of the action's object, validated as Cinder's schema does, with the
     * messages of its validator ({@code ValidationError}: the detail alone, the field path where it has one).
     */
    private static boolean flag(JsonNode args, String action, String key) {
        if (args == null || !args.isObject()) {
            String shown = PyRepr.of(args);
            throw invalid(action, shown, shown + " is not of type 'object'");
        }
        for (String name : args.propertyNames()) {
            if (!name.equals(key)) {
                throw invalid(action, PyRepr.of(args), "Additional properties are not allowed ('" + name
                        + "' was unexpected)");
            }
        }
        JsonNode v = args.get(key);
        if (v == null) {
            throw invalid(action, PyRepr.of(args), "'" + key + "' is a required property");
        }
        if (!v.isBoolean() && !v.isString()) {
            String shown = PyRepr.of(v);
            throw invalid(key, shown, shown + " is not of type 'boolean', 'string'");
        }
        Object value = v.isBoolean() ? (Object) v.booleanValue() : v.stringValue();
        if (!BOOLEANS.contains(value)) {
            throw invalid(key, v.stringValue(), "'" + v.stringValue() + "' is not one of " + BOOLEANS_TEXT);
        }
        if (value instanceof Boolean b) {
            return b;
        }
        return switch (((String) value).toLowerCase()) {
            case "true", "1", "on", "yes", "y", "t" -> true;
            default -> false;
        };
    }

    private static CinderException invalid(String field, String shown, String detail) {
        return new CinderException(400, "Invalid input for field/attribute " + field + ". Value: " + shown + ". "
                + detail);
    }
}
