package org.openstack.jcinder.common.db;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

public interface MigrationCheckpointRepository
        extends JpaRepository<MigrationCheckpointEntity, MigrationCheckpointEntity.Key> {

    List<MigrationCheckpointEntity> findByMigrationIdOrderByRangeStart(String migrationId);
}
