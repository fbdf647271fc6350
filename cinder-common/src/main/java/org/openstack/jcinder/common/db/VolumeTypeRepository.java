package org.openstack.jcinder.common.db;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface VolumeTypeRepository extends JpaRepository<VolumeTypeEntity, String> {

    Optional<VolumeTypeEntity> findByIdAndDeletedFalse(String id);

    List<VolumeTypeEntity> findByNameAndDeletedFalse(String name);

    List<VolumeTypeEntity> findByDeletedFalseOrderByName();
}
