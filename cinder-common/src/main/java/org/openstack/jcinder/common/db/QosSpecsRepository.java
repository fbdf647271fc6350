package org.openstack.jcinder.common.db;

import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;

public interface QosSpecsRepository extends JpaRepository<QosSpecsEntity, String> {

    Optional<QosSpecsEntity> findByName(String name);

    List<QosSpecsEntity> findAllByOrderByCreatedAtAscIdAsc();
}
