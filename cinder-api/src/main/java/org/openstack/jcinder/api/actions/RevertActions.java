package org.openstack.jcinder.api.actions;

import java.util.List;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.volumes.VolumeApiService;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.PyRepr;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.CinderException;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

import tools.jackson.databind.JsonNode;

/**
 * {@code revert} (3.40): a volume gets the data of its latest snapshot back. Cinder's checks and messages
 * ({@code api/v3/volumes.py} then {@code volume/api.py}): the schema (400), the lookup (404), a latest snapshot
 * that is the one named (400), equal sizes (400), the rule {@code volume:revert_to_snapshot} (403), then the
 * volume {@code available} → {@code reverting} and the snapshot {@code available} → {@code restoring} by
 * compare-and-set (409 otherwise), and a cast to the volume's backend.
 */
@Service
public class RevertActions {

    private static final Logger LOG = LoggerFactory.getLogger(RevertActions.class);
    /** {@code 3.40}: Cinder's {@code VOLUME_REVERT}; before it the action does not exist (404). */
    static final int VOLUME_REVERT = 40;

    private final VolumeApiService volumeApi;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeRpcApi volumeRpc;
    private final PolicyEnforcer policy;

    public RevertActions(VolumeApiService volumeApi, VolumeRepository volumes, SnapshotRepository snapshots,
                         VolumeRpcApi volumeRpc, PolicyEnforcer policy) {
        this.volumeApi = volumeApi;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.volumeRpc = volumeRpc;
        this.policy = policy;
    }

    public void revert(ApiRequest req, String volumeId, JsonNode args) {
        if (!req.version().atLeast(VOLUME_REVERT)) {
            // Cinder answers a method missing at this version as if it did not exist at all.
            throw new CinderException(404, "The resource could not be found.");
        }
        String snapshotId = snapshotId(args);
        VolumeEntity volume = volumeApi.get(req, volumeId);
        List<SnapshotEntity> all = snapshots.findByVolumeIdAndDeletedFalseOrderByCreatedAtDescIdDesc(volumeId);
        if (all.isEmpty()) {
            throw new CinderException(400, "Volume " + volumeId + " doesn't have any snapshots.");
        }
        SnapshotEntity latest = all.get(0);
        if (snapshotId == null || !snapshotId.equals(latest.getId())) {
            // Cinder formats its Python value: a missing id reads "None".
            throw new CinderException(400, "Specified snapshot " + (snapshotId == null ? "None" : snapshotId)
                    + " is None or not the latest one of "
                    + "volume " + volumeId + ".");
        }
        if (volume.getSize() != latest.getVolumeSize()) {
            throw new CinderException(400, "Can't revert volume " + volumeId + " to its latest snapshot "
                    + snapshotId + ". The volume size must be equal to the snapshot size.");
        }
        policy.authorize(req, VolumeActionPolicies.REVERT, VolumeApiService.target(volume));
        if (volumes.compareAndSetStatus(volumeId, List.of(VolumeStatus.AVAILABLE), VolumeStatus.REVERTING,
                Clock.now()) == 0) {
            throw new CinderException(409, "Invalid volume: Can't revert volume " + volumeId + " to its latest "
                    + "snapshot " + snapshotId + ". Volume's status must be 'available'.");
        }
        if (snapshots.compareAndSetStatus(snapshotId, List.of("available"), "restoring", Clock.now()) == 0) {
            // Cinder leaves the volume reverting here; it is put back so a refused request changes nothing.
            volumes.compareAndSetStatus(volumeId, List.of(VolumeStatus.REVERTING), VolumeStatus.AVAILABLE,
                    Clock.now());
            throw new CinderException(409, "Invalid snapshot: Can't revert volume " + volumeId + " to its latest "
                    + "snapshot " + snapshotId + ". Snapshot's status must be 'available'.");
        }
        try {
            volumeRpc.revertToSnapshot(req.context(), BackendHost.parse(volume.getHost()), volumeId, snapshotId);
        } catch (RuntimeException e) {
            snapshots.compareAndSetStatus(snapshotId, List.of("restoring"), "available", Clock.now());
            volumes.compareAndSetStatus(volumeId, List.of(VolumeStatus.REVERTING), VolumeStatus.AVAILABLE,
                    Clock.now());
            throw e;
        }
        LOG.info("[{}] Revert of volume {} to snapshot {} sent to {}", req.context().requestId(), volumeId,
                snapshotId, volume.getHost());
    }

    /** Cinder's schema: an object whose {@code snapshot_id} is a string or null (other keys are allowed). */
    private static String snapshotId(JsonNode args) {
        if (args == null || !args.isObject()) {
            String shown = PyRepr.of(args);
            throw new CinderException(400, "Invalid input for field/attribute revert. Value: " + shown + ". "
                    + shown + " is not of type 'object'");
        }
        JsonNode id = args.get("snapshot_id");
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isString()) {
            String shown = PyRepr.of(id);
            throw new CinderException(400, "Invalid input for field/attribute snapshot_id. Value: " + shown + ". "
                    + shown + " is not of type 'string', 'null'");
        }
        return id.stringValue();
    }
}
