package org.openstack.jcinder.common.db;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.CommonContextTestBase;
import org.openstack.jcinder.common.volume.AttachStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;

/** State changes are conditional updates: of concurrent requests exactly one wins. Real PostgreSQL. */
class CompareAndSetTest extends CommonContextTestBase {

    private VolumeEntity newVolume(VolumeStatus status) {
        VolumeRepository volumes = ctx.getBean(VolumeRepository.class);
        VolumeEntity v = new VolumeEntity();
        v.setId(UUID.randomUUID().toString());
        v.setSize(1);
        v.setStatus(status);
        v.setAttachStatus(AttachStatus.DETACHED);
        v.setProjectId("p");
        v.setVolumeTypeId(ctx.getBean(VolumeTypeRepository.class).findByNameAndDeletedFalse("__DEFAULT__").get(0).getId());
        v.setCreatedAt(Clock.now());
        return volumes.saveAndFlush(v);
    }

    @Test
    void schemaComesFromMigrationsWithTheDefaultType() {
        assertThat(ctx.getBean(VolumeTypeRepository.class).findByNameAndDeletedFalse("__DEFAULT__")).hasSize(1);
    }

    @Test
    void exactlyOneOfConcurrentDeletesWins() throws Exception {
        VolumeRepository volumes = ctx.getBean(VolumeRepository.class);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            for (int round = 0; round < 10; round++) {
                VolumeEntity v = newVolume(VolumeStatus.AVAILABLE);
                CountDownLatch go = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int i = 0; i < 8; i++) {
                    results.add(pool.submit(() -> {
                        go.await();
                        return volumes.markDeleting(v.getId(), List.of(VolumeStatus.AVAILABLE, VolumeStatus.ERROR),
                                Clock.now());
                    }));
                }
                go.countDown();
                int winners = 0;
                for (Future<Integer> f : results) {
                    winners += f.get();
                }
                assertThat(winners).as("round %d", round).isEqualTo(1);
                assertThat(volumes.findById(v.getId()).get().getStatus()).isEqualTo(VolumeStatus.DELETING);
                assertThat(volumes.findById(v.getId()).get().getPreviousStatus()).isEqualTo(VolumeStatus.AVAILABLE);
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void preconditionFailureChangesNothing() {
        VolumeRepository volumes = ctx.getBean(VolumeRepository.class);
        VolumeEntity v = newVolume(VolumeStatus.IN_USE);
        assertThat(volumes.markDeleting(v.getId(), List.of(VolumeStatus.AVAILABLE), Clock.now())).isZero();
        assertThat(volumes.compareAndSetStatus(v.getId(), List.of(VolumeStatus.AVAILABLE), VolumeStatus.ERROR,
                Clock.now())).isZero();
        assertThat(volumes.findById(v.getId()).get().getStatus()).isEqualTo(VolumeStatus.IN_USE);
    }
}
