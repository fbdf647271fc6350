package org.openstack.jcinder.api.actions;

import java.util.List;
import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

/**
 * {@code os-extend} with Cinder's checks: schema (400), lookup (404, also for another project's volume),
 * status (400: available; in-use too from 3.42, when a compute service is configured to be told), size (400);
 * then {@code extending} and a cast to the volume's backend, which tells Nova about an attached volume. The scheduler's
 * capacity check is not made: the backend's own refusal (lvm2's "insufficient free space") ends in
 * {@code error_extending} with the reason.
 */
@Service
public class ExtendActions {

    private static final Logger LOG = LoggerFactory.getLogger(ExtendActions.class);
    /** {@code 3.42}: Cinder extends in-use volumes from here on, telling Nova through an external event. */
    private static final int EXTEND_ATTACHED_VOLUME = 42;

    private final VolumeRepository volumes;
    private final VolumeRpcApi volumeRpc;
    private final CinderConfig config;
    private final VolumeQuotas quotas;

    private final VolumeApiService volumeApi;
    private final PolicyEnforcer policy;

    public ExtendActions(VolumeRepository volumes, VolumeRpcApi volumeRpc, CinderConfig config,
                         VolumeApiService volumeApi, PolicyEnforcer policy, VolumeQuotas quotas) {
        this.volumeApi = volumeApi;
        this.policy = policy;
        this.quotas = quotas;
        this.volumes = volumes;
        this.volumeRpc = volumeRpc;
        this.config = config;
    }

    public void extend(ApiRequest req, String volumeId, JsonNode args) {
        if (args == null || !args.isObject()) {
            throw JsonBody.bad("Invalid input for field/attribute os-extend. Value: " + args + ". " + args
                    + " is not of type 'object'");
        }
        JsonBody b = JsonBody.of(args).allowOnly(Set.of("new_size"));
        int newSize = b.requiredInteger("new_size", 1);
        VolumeEntity v = volumeApi.get(req, volumeId);
        boolean attachedAllowed = req.version().atLeast(EXTEND_ATTACHED_VOLUME);
        // Cinder checks the attached-volume rule for an in-use volume, the plain one otherwise.
        policy.authorize(req, v.getStatus() == VolumeStatus.IN_USE && attachedAllowed
                ? VolumeActionPolicies.EXTEND_ATTACHED : VolumeActionPolicies.EXTEND, VolumeApiService.target(v));
        if (v.getStatus() == VolumeStatus.IN_USE && attachedAllowed && !config.novaConfigured()) {
            throw new InvalidVolumeException("Volume " + volumeId + " is in-use: extending an attached volume needs "
                    + "the compute service to be told the new size, and neither [nova] endpoint_override nor auth_type is set; "
                    + "detach it first.");
        }
        List<VolumeStatus> from = attachedAllowed ? List.of(VolumeStatus.AVAILABLE, VolumeStatus.IN_USE)
                : List.of(VolumeStatus.AVAILABLE);
        if (!from.contains(v.getStatus())) {
            throw new InvalidVolumeException("Volume " + volumeId + " status must be '" + wires(from)
                    + "' to extend, currently " + v.getStatus() + ".");
        }
        if (MigrationStatus.isActive(v.getMigrationStatus())) {
            throw new InvalidVolumeException("Volume " + volumeId + " is being migrated (" + v.getMigrationStatus()
                    + "); extend it when the migration has ended.");
        }
        if (newSize <= v.getSize()) {
            throw new CinderException(400, "Invalid input received: New size for extend must be greater than "
                    + "current size. (current: " + v.getSize() + ", extended: " + newSize + ").");
        }
        if (volumes.startExtend(volumeId, newSize, from, Clock.now()) == 0) {
            throw new InvalidVolumeException("Volume " + volumeId + " changed while the request was checked; "
                    + "it must be '" + wires(from) + "', not migrating, and smaller than "
                    + newSize + " GiB.");
        }
        try {
            // Cinder's order: the state change first, then the size limit and the reservation, the state put
            // back if either refuses.
            quotas.reserveExtend(v, newSize);
        } catch (RuntimeException e) {
            volumes.compareAndSetStatus(volumeId, List.of(VolumeStatus.EXTENDING), v.getStatus(), Clock.now());
            throw e;
        }
        try {
            volumeRpc.extendVolume(req.context(), BackendHost.parse(v.getHost()), volumeId, newSize);
        } catch (RuntimeException e) {
            quotas.rollbackExtend(v, newSize);
            volumes.compareAndSetStatusWithReason(volumeId, List.of(VolumeStatus.EXTENDING), v.getStatus(),
                    "not sent to the volume service: " + e.getMessage(), Clock.now());
            throw e;
        }
        LOG.info("Extend of volume {} from {} to {} GiB accepted (backend {})", volumeId, v.getSize(), newSize,
                v.getHost());
    }

    private static String wires(List<VolumeStatus> statuses) {
        return statuses.stream().map(VolumeStatus::wire).collect(java.util.stream.Collectors.joining("' or '"));
    }
}
