package org.openstack.jcinder.common.db;

import org.springframework.data.jpa.repository.JpaRepository;

public interface SnapshotRepository extends JpaRepository<SnapshotEntity, String> {

    long countByVolumeIdAndDeletedFalse(String volumeId);
}
