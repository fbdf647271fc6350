package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;

import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

/**
 * One migration attempt of a volume: the path the volume manager chose ({@code driver}, {@code generic},
 * {@code attached}), its phase ({@code migrating}, {@code creating-destination}, {@code copying},
 * {@code completing}, then {@code success} or {@code error}), copy progress and the reason of a failure or
 * fallback.
 */
@Entity
@Table(name = "volume_migrations")
public class VolumeMigrationEntity {

    @Id
    @Column(name = "id")
    private String id;
    @Column(name = "volume_id")
    private String volumeId;
    @Column(name = "target_volume_id")
    private String targetVolumeId;
    @Column(name = "request_id")
    private String requestId;
    @Column(name = "source_host")
    private String sourceHost;
    @Column(name = "destination_host")
    private String destinationHost;
    @Column(name = "force_host_copy")
    private boolean forceHostCopy;
    @Column(name = "path")
    private MigrationPath path;
    @Column(name = "state")
    private MigrationPhase state;
    @Column(name = "bytes_total")
    private long bytesTotal;
    @Column(name = "bytes_copied")
    private long bytesCopied;
    @Column(name = "detail")
    private String detail;
    @Column(name = "created_at")
    private LocalDateTime createdAt;
    @Column(name = "updated_at")
    private LocalDateTime updatedAt;
    @Column(name = "finished_at")
    private LocalDateTime finishedAt;
    @Column(name = "copy_started_at")
    private LocalDateTime copyStartedAt;
    @Column(name = "bps_limit")
    private Long bpsLimit;

    @Column(name = "cancel_requested")
    private boolean cancelRequested;
    /** How often the copy was resumed after a crash of its volume service (V20). */
    @Column(name = "resume_count")
    private int resumeCount;
    /** The byte the last resumption copied on from (what its checkpoints proved already copied). */
    @Column(name = "resumed_from")
    private Long resumedFrom;
    @Column(name = "sparse_copy")
    private boolean sparseCopy;

    /** The queue's order (the database numbers every record on insert; only queued ones use it). */
    @Column(name = "queue_seq", insertable = false, updatable = false)
    private Long queueSeq;
    /** When the migration had to wait for a slot; null if it never waited. */
    @Column(name = "queued_at")
    private LocalDateTime queuedAt;
    /** What the source backend needs to run a queued migration later (JSON), also after a restart. */
    @Column(name = "queued_request")
    private String queuedRequest;

    /** The hidden row holding the old copy during the rollback window ({@code migration_keep_source}). */
    @Column(name = "kept_source_volume_id")
    private String keptSourceVolumeId;
    @Column(name = "kept_source_until")
    private LocalDateTime keptSourceUntil;
    /** {@link #SOURCE_KEPT}, {@link #SOURCE_REVERTING}, {@link #SOURCE_REVERTED}, {@link #SOURCE_DELETED}; null: not kept. */
    @Column(name = "source_state")
    private String sourceState;

    public static final String SOURCE_KEPT = "kept";
    public static final String SOURCE_REVERTING = "reverting";
    public static final String SOURCE_REVERTED = "reverted";
    public static final String SOURCE_DELETED = "deleted";

    public String getId() { return id; }
    public void setId(String id) { this.id = id; }
    public String getVolumeId() { return volumeId; }
    public void setVolumeId(String volumeId) { this.volumeId = volumeId; }
    public String getTargetVolumeId() { return targetVolumeId; }
    public void setTargetVolumeId(String targetVolumeId) { this.targetVolumeId = targetVolumeId; }
    public String getRequestId() { return requestId; }
    public void setRequestId(String requestId) { this.requestId = requestId; }
    public String getSourceHost() { return sourceHost; }
    public void setSourceHost(String sourceHost) { this.sourceHost = sourceHost; }
    public String getDestinationHost() { return destinationHost; }
    public void setDestinationHost(String destinationHost) { this.destinationHost = destinationHost; }
    public boolean isForceHostCopy() { return forceHostCopy; }
    public void setForceHostCopy(boolean forceHostCopy) { this.forceHostCopy = forceHostCopy; }
    public MigrationPath getPath() { return path; }
    public void setPath(MigrationPath path) { this.path = path; }
    public MigrationPhase getState() { return state; }
    public void setState(MigrationPhase state) { this.state = state; }
    public long getBytesTotal() { return bytesTotal; }
    public void setBytesTotal(long bytesTotal) { this.bytesTotal = bytesTotal; }
    public long getBytesCopied() { return bytesCopied; }
    public void setBytesCopied(long bytesCopied) { this.bytesCopied = bytesCopied; }
    public String getDetail() { return detail; }
    public void setDetail(String detail) { this.detail = detail; }
    public LocalDateTime getCreatedAt() { return createdAt; }
    public void setCreatedAt(LocalDateTime createdAt) { this.createdAt = createdAt; }
    public LocalDateTime getUpdatedAt() { return updatedAt; }
    public void setUpdatedAt(LocalDateTime updatedAt) { this.updatedAt = updatedAt; }
    public LocalDateTime getFinishedAt() { return finishedAt; }
    public void setFinishedAt(LocalDateTime finishedAt) { this.finishedAt = finishedAt; }
    public LocalDateTime getCopyStartedAt() { return copyStartedAt; }
    public void setCopyStartedAt(LocalDateTime copyStartedAt) { this.copyStartedAt = copyStartedAt; }
    public Long getBpsLimit() { return bpsLimit; }
    public void setBpsLimit(Long bpsLimit) { this.bpsLimit = bpsLimit; }
    public boolean isCancelRequested() { return cancelRequested; }
    public void setCancelRequested(boolean cancelRequested) { this.cancelRequested = cancelRequested; }
    public int getResumeCount() { return resumeCount; }
    public void setResumeCount(int resumeCount) { this.resumeCount = resumeCount; }
    public Long getResumedFrom() { return resumedFrom; }
    public void setResumedFrom(Long resumedFrom) { this.resumedFrom = resumedFrom; }
    public boolean isSparseCopy() { return sparseCopy; }
    public void setSparseCopy(boolean sparseCopy) { this.sparseCopy = sparseCopy; }

    public Long getQueueSeq() { return queueSeq; }
    public LocalDateTime getQueuedAt() { return queuedAt; }
    public void setQueuedAt(LocalDateTime queuedAt) { this.queuedAt = queuedAt; }
    public String getQueuedRequest() { return queuedRequest; }
    public void setQueuedRequest(String queuedRequest) { this.queuedRequest = queuedRequest; }

    public String getKeptSourceVolumeId() { return keptSourceVolumeId; }
    public void setKeptSourceVolumeId(String keptSourceVolumeId) { this.keptSourceVolumeId = keptSourceVolumeId; }
    public LocalDateTime getKeptSourceUntil() { return keptSourceUntil; }
    public void setKeptSourceUntil(LocalDateTime keptSourceUntil) { this.keptSourceUntil = keptSourceUntil; }
    public String getSourceState() { return sourceState; }
    public void setSourceState(String sourceState) { this.sourceState = sourceState; }
}
