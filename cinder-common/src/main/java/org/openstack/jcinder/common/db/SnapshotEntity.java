package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.*;

import jakarta.persistence.*;


/** A snapshot row (Cinder's {@code snapshots}); a volume with snapshots cannot be migrated. */
@Entity
@Table(name = "snapshots")
public class SnapshotEntity {

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "volume_id")
    private String volumeId;

    @Column(name = "status")
    private String status;

    @Column(name = "progress")
    private String progress;

    @Column(name = "volume_size")
    private int volumeSize;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "display_description")
    private String displayDescription;

    @Column(name = "provider_location")
    private String providerLocation;

    @Column(name = "project_id")
    private String projectId;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    @Column(name = "deleted")
    private boolean deleted;

    @Column(name = "volume_type_id")
    private String volumeTypeId;

    /** The group snapshot this snapshot is a member of (3.14), or null. */
    @Column(name = "group_snapshot_id")
    private String groupSnapshotId;

    @Column(name = "use_quota")
    private boolean useQuota = true;

    @ElementCollection(fetch = FetchType.EAGER) @org.hibernate.annotations.BatchSize(size = 200) @CollectionTable(name = "snapshot_metadata", joinColumns = @JoinColumn(name = "snapshot_id")) @MapKeyColumn(name = "meta_key") @Column(name = "meta_value")
    private Map<String, String> metadata = new HashMap<>();

    public String getVolumeTypeId() {
        return volumeTypeId;
    }

    public void setVolumeTypeId(String volumeTypeId) {
        this.volumeTypeId = volumeTypeId;
    }

    public boolean isUseQuota() {
        return useQuota;
    }

    public void setUseQuota(boolean useQuota) {
        this.useQuota = useQuota;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    /** The backing object's name on the backend, as Cinder's {@code snapshot-<id>}. */
    public String backendName() {
        return "snapshot-" + id;
    }


    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getVolumeId() {
        return volumeId;
    }

    public void setVolumeId(String volumeId) {
        this.volumeId = volumeId;
    }

    public String getStatus() {
        return status;
    }

    public void setStatus(String status) {
        this.status = status;
    }

    public String getProgress() {
        return progress;
    }

    public void setProgress(String progress) {
        this.progress = progress;
    }

    public int getVolumeSize() {
        return volumeSize;
    }

    public void setVolumeSize(int volumeSize) {
        this.volumeSize = volumeSize;
    }

    public String getDisplayName() {
        return displayName;
    }

    public void setDisplayName(String displayName) {
        this.displayName = displayName;
    }

    public String getDisplayDescription() {
        return displayDescription;
    }

    public void setDisplayDescription(String displayDescription) {
        this.displayDescription = displayDescription;
    }

    public String getProviderLocation() {
        return providerLocation;
    }

    public void setProviderLocation(String providerLocation) {
        this.providerLocation = providerLocation;
    }

    public String getProjectId() {
        return projectId;
    }

    public void setProjectId(String projectId) {
        this.projectId = projectId;
    }

    public String getUserId() {
        return userId;
    }

    public void setUserId(String userId) {
        this.userId = userId;
    }

    public LocalDateTime getCreatedAt() {
        return createdAt;
    }

    public void setCreatedAt(LocalDateTime createdAt) {
        this.createdAt = createdAt;
    }

    public LocalDateTime getUpdatedAt() {
        return updatedAt;
    }

    public void setUpdatedAt(LocalDateTime updatedAt) {
        this.updatedAt = updatedAt;
    }

    public LocalDateTime getDeletedAt() {
        return deletedAt;
    }

    public void setDeletedAt(LocalDateTime deletedAt) {
        this.deletedAt = deletedAt;
    }

    public boolean isDeleted() {
        return deleted;
    }

    public void setDeleted(boolean deleted) {
        this.deleted = deleted;
    }

    public String getGroupSnapshotId() {
        return groupSnapshotId;
    }

    public void setGroupSnapshotId(String groupSnapshotId) {
        this.groupSnapshotId = groupSnapshotId;
    }
}
