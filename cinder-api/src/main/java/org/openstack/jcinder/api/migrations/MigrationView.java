package org.openstack.jcinder.api.migrations;

import static org.openstack.jcinder.common.volume.WireValue.wireOf;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.openstack.jcinder.api.volumes.VolumeViews;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.volume.MigrationPhase;

/**
 * One migration attempt as the API shows it: where it runs ({@code path}, {@code phase}, hosts), how far the
 * copy got (bytes, percent, rate, ETA), the bandwidth limit, and why it failed or fell back ({@code detail}).
 * {@code status} is {@code queued} while it waits for a slot ({@code max_concurrent_migrations}; then
 * {@code queue_position} is its place in its backend's queue, 1 = next), {@code running} until the attempt
 * ends, then {@code success} or {@code error}.
 */
final class MigrationView {

    private MigrationView() {
    }

    static String status(VolumeMigrationEntity m) {
        if (m.getFinishedAt() == null) {
            return m.getState() == MigrationPhase.QUEUED ? "queued" : "running";
        }
        return m.getState() == MigrationPhase.SUCCESS ? "success" : "error";
    }

    static Map<String, Object> of(VolumeMigrationEntity m) {
        return of(m, null);
    }

    /** {@code queuePosition}: its place in the queue while queued, else null. */
    static Map<String, Object> of(VolumeMigrationEntity m, Long queuePosition) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", m.getId());
        out.put("volume_id", m.getVolumeId());
        out.put("target_volume_id", m.getTargetVolumeId());
        out.put("status", status(m));
        out.put("path", wireOf(m.getPath()));
        out.put("phase", wireOf(m.getState()));
        out.put("queue_position", queuePosition);
        out.put("queued_at", VolumeViews.time(m.getQueuedAt()));
        out.put("source_host", m.getSourceHost());
        out.put("destination_host", m.getDestinationHost());
        out.put("force_host_copy", m.isForceHostCopy());
        out.put("bytes_total", m.getBytesTotal());
        out.put("bytes_copied", m.getBytesCopied());
        out.put("percent", m.getBytesTotal() == 0 ? 0 : (int) (m.getBytesCopied() * 100 / m.getBytesTotal()));
        Double rate = null;
        if (m.getCopyStartedAt() != null && m.getUpdatedAt() != null) {
            double seconds = Duration.between(m.getCopyStartedAt(),
                    m.getFinishedAt() != null ? m.getFinishedAt() : m.getUpdatedAt()).toNanos() / 1e9;
            rate = seconds > 0 ? m.getBytesCopied() / seconds : null;
        }
        out.put("rate_bytes_per_second", rate == null ? null : Math.round(rate));
        out.put("eta_seconds", rate == null || rate <= 0 || m.getFinishedAt() != null ? null
                : Math.round((m.getBytesTotal() - m.getBytesCopied()) / rate));
        // The administrator's limit for this copy (bytes/s, 0 = unlimited); null: the backend's setting.
        out.put("bps_limit", m.getBpsLimit());
        // Crash safety (migration_resume): how often the copy went on after its volume service died, and the
        // byte offset the last resume started from (the verified checkpoints before it were not copied again).
        out.put("resume_count", m.getResumeCount());
        out.put("resumed_from_bytes", m.getResumedFrom());
        out.put("detail", m.getDetail());
        out.put("request_id", m.getRequestId());
        out.put("started_at", VolumeViews.time(m.getCreatedAt()));
        out.put("copy_started_at", VolumeViews.time(m.getCopyStartedAt()));
        out.put("updated_at", VolumeViews.time(m.getUpdatedAt()));
        out.put("finished_at", VolumeViews.time(m.getFinishedAt()));
        // The rollback window (migration_keep_source): whether the old copy is still kept and until when
        // os-migrate_volume_revert may swap back to it (writes made since the migration are lost by a revert).
        boolean kept = VolumeMigrationEntity.SOURCE_KEPT.equals(m.getSourceState());
        out.put("source_kept", kept);
        out.put("source_state", m.getSourceState());
        out.put("kept_source_volume_id", m.getKeptSourceVolumeId());
        out.put("rollback_available_until", kept ? VolumeViews.time(m.getKeptSourceUntil()) : null);
        return out;
    }
}
