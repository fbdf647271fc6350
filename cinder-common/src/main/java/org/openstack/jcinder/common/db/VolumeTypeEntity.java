package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.*;

import jakarta.persistence.*;


/** A volume type and its extra specs (the scheduler matches them against backend capabilities). */
@Entity
@Table(name = "volume_types")
public class VolumeTypeEntity {

    @Id
    @Column(name = "id")
    private String id;

    @Column(name = "name")
    private String name;

    @Column(name = "description")
    private String description;

    @Column(name = "is_public")
    private boolean isPublic;

    @ElementCollection(fetch = FetchType.EAGER) @org.hibernate.annotations.BatchSize(size = 100) @CollectionTable(name = "volume_type_extra_specs", joinColumns = @JoinColumn(name = "volume_type_id")) @MapKeyColumn(name = "spec_key") @Column(name = "spec_value")

    private Map<String, String> extraSpecs = new HashMap<>();

    /** The QoS specs associated with this type, if any (one at most, as in Cinder). */
    @Column(name = "qos_specs_id")
    private String qosSpecsId;

    /** Projects given access to a private type (addProjectAccess). */
    @ElementCollection(fetch = FetchType.EAGER) @org.hibernate.annotations.BatchSize(size = 100) @CollectionTable(name = "volume_type_projects", joinColumns = @JoinColumn(name = "volume_type_id")) @Column(name = "project_id")
    private Set<String> projects = new LinkedHashSet<>();

    @Column(name = "created_at")
    private LocalDateTime createdAt;

    @Column(name = "updated_at")
    private LocalDateTime updatedAt;

    @Column(name = "deleted_at")
    private LocalDateTime deletedAt;

    @Column(name = "deleted")
    private boolean deleted;


    public String getId() {
        return id;
    }

    public void setId(String id) {
        this.id = id;
    }

    public String getName() {
        return name;
    }

    public void setName(String name) {
        this.name = name;
    }

    public String getDescription() {
        return description;
    }

    public void setDescription(String description) {
        this.description = description;
    }

    public boolean isIsPublic() {
        return isPublic;
    }

    public void setIsPublic(boolean isPublic) {
        this.isPublic = isPublic;
    }

    public Map<String, String> getExtraSpecs() {
        return extraSpecs;
    }

    public void setExtraSpecs(Map<String, String> extraSpecs) {
        this.extraSpecs = extraSpecs;
    }

    public String getQosSpecsId() {
        return qosSpecsId;
    }

    public void setQosSpecsId(String qosSpecsId) {
        this.qosSpecsId = qosSpecsId;
    }

    public Set<String> getProjects() {
        return projects;
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
