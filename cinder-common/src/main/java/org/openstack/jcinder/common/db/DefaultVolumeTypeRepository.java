package org.openstack.jcinder.common.db;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface DefaultVolumeTypeRepository extends JpaRepository<DefaultVolumeTypeEntity, String> {

    List<DefaultVolumeTypeEntity> findAllByOrderByProjectId();

    boolean existsByVolumeTypeId(String volumeTypeId);
}
