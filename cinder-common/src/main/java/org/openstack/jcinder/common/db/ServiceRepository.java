package org.openstack.jcinder.common.db;

import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;

import org.springframework.data.jpa.repository.JpaRepository;
import org.springframework.data.jpa.repository.Modifying;
import org.springframework.data.jpa.repository.Query;
import org.springframework.data.repository.query.Param;
import org.springframework.transaction.annotation.Transactional;

public interface ServiceRepository extends JpaRepository<ServiceEntity, Long> {

    Optional<ServiceEntity> findByHostAndBinaryName(String host, String binaryName);

    List<ServiceEntity> findByDeletedFalseOrderById();

    List<ServiceEntity> findByBinaryNameAndDeletedFalse(String binaryName);

    /** One heartbeat: the row's age is what "up" and "down" are computed from. */
    @Transactional
    @Modifying(clearAutomatically = true, flushAutomatically = true)
    @Query("update ServiceEntity s set s.updatedAt = :now, s.reportCount = s.reportCount + 1, "
            + "s.capabilities = coalesce(:capabilities, s.capabilities), s.backendStateReason = :reason "
            + "where s.id = :id")
    int heartbeat(@Param("id") Long id, @Param("now") LocalDateTime now, @Param("capabilities") String capabilities,
                  @Param("reason") String backendStateReason);
}
