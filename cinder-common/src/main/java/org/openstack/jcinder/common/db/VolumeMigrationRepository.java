package org.openstack.jcinder.common.db;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface VolumeMigrationRepository extends JpaRepository<VolumeMigrationEntity, String> {

    Optional<VolumeMigrationEntity> findFirstByVolumeIdOrderByCreatedAtDesc(String volumeId);

    List<VolumeMigrationEntity> findByVolumeIdIn(Collection<String> volumeIds);
}
