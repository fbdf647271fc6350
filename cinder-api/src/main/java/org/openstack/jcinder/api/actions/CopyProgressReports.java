package org.openstack.jcinder.api.actions;

import java.util.Set;

import org.openstack.jcinder.api.policy.PolicyEnforcer;
import org.openstack.jcinder.api.web.ApiRequest;
import org.openstack.jcinder.api.web.JsonBody;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.InvalidVolumeException;
import org.openstack.jcinder.common.exception.VolumeNotFoundException;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * {@code os-migrate_volume_progress} (this project's extension; Cinder has none): the compute service copying an
 * attached volume reports how far its block job is, so the attached path shows progress, rate and ETA in
 * {@code os-vol-mig-status-attr:progress} like the host-copy path. Only for the attempt it belongs to (the
 * source volume's unfinished attached migration to {@code new_volume}). The block job's total grows while
 * the guest writes, so the fraction is applied to the volume's size and the figure only ever rises.
 * The answer carries what an administrator asked of the running copy since ({@code os-migrate_volume_update},
 * {@code os-migrate_volume_cancel}): its {@code bps_limit} (null = none set) and {@code cancel}.
 */
@Service
public class CopyProgressReports {

    static final String ACTION = "os-migrate_volume_progress";

    private final VolumeRepository volumes;
    private final VolumeMigrationRepository migrations;

    private final PolicyEnforcer policy;

    public CopyProgressReports(VolumeRepository volumes, VolumeMigrationRepository migrations,
                               PolicyEnforcer policy) {
        this.policy = policy;
        this.volumes = volumes;
        this.migrations = migrations;
    }

    /** The answer to a report: the limit and the cancel request the compute service must apply. */
    public record Requests(Long bpsLimit, boolean cancel) {
        public java.util.Map<String, Object> view() {
            java.util.Map<String, Object> m = new java.util.LinkedHashMap<>();
            m.put("bps_limit", bpsLimit);
            m.put("cancel", cancel);
            return m;
        }
    }

    public Requests report(ApiRequest req, String volumeId, JsonNode args) {
        if (args == null || !args.isObject()) {
            throw JsonBody.bad("Invalid input for field/attribute " + ACTION + ". Value: " + args
                    + ". " + args + " is not of type 'object'");
        }
        JsonBody b = JsonBody.of(args).allowOnly(Set.of("new_volume", "bytes_copied", "bytes_total"));
        String newVolume = b.requiredString("new_volume", 1, 36);
        long copied = nonNegative(args, "bytes_copied");
        long total = nonNegative(args, "bytes_total");
        // The compute service's user reports on volumes of any project: checked against its own project, and
        // the volume looked up without the project filter.
        policy.authorize(req, VolumeActionPolicies.MIGRATE_PROGRESS);
        volumes.findByIdAndDeletedFalse(volumeId).orElseThrow(() -> new VolumeNotFoundException(volumeId));
        VolumeMigrationEntity m = migrations.findFirstByVolumeIdOrderByCreatedAtDesc(volumeId)
                .filter(x -> x.getFinishedAt() == null && x.getPath() == MigrationPath.ATTACHED
                        && newVolume.equals(x.getTargetVolumeId()))
                .orElseThrow(() -> new InvalidVolumeException("Volume " + volumeId + " has no attached migration to "
                        + newVolume + " in progress."));
        double fraction = total == 0 ? 0 : Math.min(1.0, (double) copied / total);
        if (migrations.raiseProgress(m.getId(), Math.round(fraction * m.getBytesTotal()),
                MigrationPhase.COMPUTE_COPYING, Clock.now()) == 0) {
            throw new InvalidVolumeException("The migration of volume " + volumeId + " has already ended.");
        }
        return new Requests(m.getBpsLimit(), m.isCancelRequested());
    }

    private static long nonNegative(JsonNode args, String key) {
        JsonNode n = args.get(key);
        if (n == null || !n.isIntegralNumber() || n.asLong() < 0) {
            throw JsonBody.bad("Invalid input for field/attribute " + key + ". Value: " + n
                    + ". It must be a non-negative integer.");
        }
        return n.asLong();
    }
}
