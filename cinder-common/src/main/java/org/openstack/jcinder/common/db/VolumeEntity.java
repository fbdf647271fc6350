package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.*;

import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;

import jakarta.persistence.*;


/** A volume row. State changes go through the compare-and-set updates of {@link VolumeRepository}, never through setters on a loaded entity. */
@Entity
@Table(name = "volumes")
public class VolumeEntity {

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "name_id")
    private String nameId;

    @Column(name = "display_name")
    private String displayName;

    @Column(name = "display_description")
    private String displayDescription;

    @Column(name = "size")
    private int size;

    @Column(name = "status")
    private VolumeStatus status;

    @Column(name = "attach_status")
    private AttachStatus attachStatus;

    @Column(name = "migration_status")
    private MigrationStatus migrationStatus;

    @Column(name = "previous_status")
    private VolumeStatus previousStatus;

    @Column(name = "status_reason")
    private String statusReason;

    @Column(name = "host")
    private String host;

    @Column(name = "cluster_name")
    private String clusterName;

    @Column(name = "availability_zone")
    private String availabilityZone;

    @Column(name = "volume_type_id")
    private String volumeTypeId;

    /** The generic group (API 3.13) the volume belongs to, if any. */
    @Column(name = "group_id")
    private String groupId;

    public String getGroupId() {
        return groupId;
    }

    public void setGroupId(String groupId) {
        this.groupId = groupId;
    }


    @Column(name = "provider_location")
    private String providerLocation;

    @Column(name = "project_id")
    private String projectId;

    @Column(name = "user_id")
    private String userId;

    @Column(name = "bootable")
    private boolean bootable;

    @Column(name = "multiattach")
    private boolean multiattach;

    /** Cinder's use_quota: false for a migration's temporary volume, which never counts against the project. */
    @Column(name = "use_quota", nullable = false)
    private boolean useQuota = true;

    /**
     * Whether the volume's type has an encryption spec (read with the row; never written). Cinder decides
     * {@code encrypted} by the volume's key id; here no key manager exists, and a type's encryption cannot change
     * while it has volumes, so the type decides.
     */
    @org.hibernate.annotations.Formula("(select count(*) from encryption e where e.volume_type_id = volume_type_id)")
    private long encryptionSpecs;

    @Column(name = "service_uuid")
    private String serviceUuid;

    @Column(name = "snapshot_id")
    private String snapshotId;

    @Column(name = "source_volid")
    private String sourceVolid;

    @ElementCollection(fetch = FetchType.EAGER) @org.hibernate.annotations.BatchSize(size = 200) @CollectionTable(name = "volume_metadata", joinColumns = @JoinColumn(name = "volume_id")) @MapKeyColumn(name = "meta_key") @Column(name = "meta_value")

    private Map<String, String> metadata = new HashMap<>();

    /** Cinder's admin metadata ({@code readonly}, {@code attached_mode}); never the user's to set. */
    @ElementCollection(fetch = FetchType.EAGER) @org.hibernate.annotations.BatchSize(size = 200) @CollectionTable(name = "volume_admin_metadata", joinColumns = @JoinColumn(name = "volume_id")) @MapKeyColumn(name = "meta_key") @Column(name = "meta_value")
    private Map<String, String> adminMetadata = new HashMap<>();

    @Column(name = "launched_at")
    private LocalDateTime launchedAt;

    @Column(name = "terminated_at")
    private LocalDateTime terminatedAt;

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    @Column(name = "deleted")
    private boolean deleted;

    /** The name of the backend object: {@code _name_id} once a migration swapped it, the id otherwise. */
    public String backendName() {
        return "volume-" + (nameId != null ? nameId : id);
    }

    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getNameId() {
        return nameId;
    }

    public void setNameId(String nameId) {
        this.nameId = nameId;
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

    public int getSize() {
        return size;
    }

    public void setSize(int size) {
        this.size = size;
    }

    public VolumeStatus getStatus() {
        return status;
    }

    public void setStatus(VolumeStatus status) {
        this.status = status;
    }

    public AttachStatus getAttachStatus() {
        return attachStatus;
    }

    public void setAttachStatus(AttachStatus attachStatus) {
        this.attachStatus = attachStatus;
    }

    public MigrationStatus getMigrationStatus() {
        return migrationStatus;
    }

    public void setMigrationStatus(MigrationStatus migrationStatus) {
        this.migrationStatus = migrationStatus;
    }

    public VolumeStatus getPreviousStatus() {
        return previousStatus;
    }

    public void setPreviousStatus(VolumeStatus previousStatus) {
        this.previousStatus = previousStatus;
    }

    public String getStatusReason() {
        return statusReason;
    }

    public void setStatusReason(String statusReason) {
        this.statusReason = statusReason;
    }

    public String getHost() {
        return host;
    }

    public void setHost(String host) {
        this.host = host;
    }

    public String getClusterName() {
        return clusterName;
    }

    public void setClusterName(String clusterName) {
        this.clusterName = clusterName;
    }

    public String getAvailabilityZone() {
        return availabilityZone;
    }

    public void setAvailabilityZone(String availabilityZone) {
        this.availabilityZone = availabilityZone;
    }

    public String getVolumeTypeId() {
        return volumeTypeId;
    }

    public void setVolumeTypeId(String volumeTypeId) {
        this.volumeTypeId = volumeTypeId;
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

    public boolean isBootable() {
        return bootable;
    }

    public void setBootable(boolean bootable) {
        this.bootable = bootable;
    }

    public boolean isEncrypted() {
        return encryptionSpecs > 0;
    }

    /** For a volume just created (its formula not read yet). */
    public void setEncrypted(boolean encrypted) {
        this.encryptionSpecs = encrypted ? 1 : 0;
    }

    public boolean isMultiattach() {
        return multiattach;
    }

    public void setMultiattach(boolean multiattach) {
        this.multiattach = multiattach;
    }

    public boolean isUseQuota() {
        return useQuota;
    }

    public void setUseQuota(boolean useQuota) {
        this.useQuota = useQuota;
    }

    public String getServiceUuid() {
        return serviceUuid;
    }

    public void setServiceUuid(String serviceUuid) {
        this.serviceUuid = serviceUuid;
    }

    public String getSnapshotId() {
        return snapshotId;
    }

    public void setSnapshotId(String snapshotId) {
        this.snapshotId = snapshotId;
    }

    public String getSourceVolid() {
        return sourceVolid;
    }

    public void setSourceVolid(String sourceVolid) {
        this.sourceVolid = sourceVolid;
    }

    public Map<String, String> getAdminMetadata() {
        return adminMetadata;
    }

    public void setAdminMetadata(Map<String, String> adminMetadata) {
        this.adminMetadata = adminMetadata;
    }

    public Map<String, String> getMetadata() {
        return metadata;
    }

    public void setMetadata(Map<String, String> metadata) {
        this.metadata = metadata;
    }

    public LocalDateTime getLaunchedAt() {
        return launchedAt;
    }

    public void setLaunchedAt(LocalDateTime launchedAt) {
        this.launchedAt = launchedAt;
    }

    public LocalDateTime getTerminatedAt() {
        return terminatedAt;
    }

    public void setTerminatedAt(LocalDateTime terminatedAt) {
        this.terminatedAt = terminatedAt;
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

}
