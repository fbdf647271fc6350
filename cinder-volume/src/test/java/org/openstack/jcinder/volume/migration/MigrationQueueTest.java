package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import javax.sql.DataSource;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.db.VolumeMigrationRepository;
import org.openstack.jcinder.common.rpc.RpcTopics;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.springframework.jdbc.core.JdbcTemplate;

import tools.jackson.databind.json.JsonMapper;

/**
 * {@code max_concurrent_migrations} on a real PostgreSQL: migrations beyond the limit wait as {@code queued}
 * records and run first come first served as slots free; the number holding a slot, counted from the records
 * whenever a copy starts, never exceeds the limit; a queued one can be cancelled; one queued across a restart
 * runs after it; a host's limit spans its backends and a dead backend's slots do not count.
 */
class MigrationQueueTest extends MigrationTestBase {

    private static final AtomicInteger BACKENDS = new AtomicInteger();

    private final List<VolumeMigrator> started = new ArrayList<>();
    private Gated gated;

    /** Copies that wait until the test opens their gate; each start counts the slots held in the database. */
    final class Gated implements CopyEngine {
        final List<String> starts = new CopyOnWriteArrayList<>();
        final Map<String, CountDownLatch> gates = new ConcurrentHashMap<>();
        final List<Long> slotsAtStart = new CopyOnWriteArrayList<>();
        volatile String backend;

        CountDownLatch gate(String volumeId) {
            return gates.computeIfAbsent(volumeId, k -> new CountDownLatch(1));
        }

        @Override
        public void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress,
                         CopyControl control) {
            String id = source.getFileName().toString().replace("volume-", "");
            starts.add(id);
            slotsAtStart.add(slotsHeld(backend));
            try {
                while (!gate(id).await(50, TimeUnit.MILLISECONDS)) {
                    control.throwIfCancelled();
                }
                Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.copied(bytes);
        }

        @Override
        public boolean followsLiveBandwidthLimit() {
            return true;
        }
    }

    @AfterEach
    void stopMigrators() {
        if (gated != null) {
            gated.gates.values().forEach(CountDownLatch::countDown);
        }
        started.forEach(VolumeMigrator::stop);
    }

    @Test
    void threeMigrationsWithALimitOfOneRunOneAfterTheOtherInTheirOrderAndShowTheirPlace() throws Exception {
        String backend = newBackend();
        VolumeMigrator m = migrator(backend, 1, 0);
        VolumeEntity v1 = on(backend);
        VolumeEntity v2 = on(backend);
        VolumeEntity v3 = on(backend);

        migrate(m, v1);
        await("first copy started", () -> gated.starts.size() == 1);
        migrate(m, v2);
        migrate(m, v3);

        assertThat(record(v2.getId()).getState()).isEqualTo(MigrationPhase.QUEUED);
        assertThat(record(v3.getId()).getState()).isEqualTo(MigrationPhase.QUEUED);
        assertThat(position(v2)).isEqualTo(1);
        assertThat(position(v3)).isEqualTo(2);
        // Cinder's view: the volumes are migrating (Cinder has no queued state).
        assertThat(reload(v2.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);
        assertThat(reload(v3.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.MIGRATING);

        gated.gate(v1.getId()).countDown();
        await("second copy started", () -> gated.starts.size() == 2);
        assertThat(position(v3)).isEqualTo(1);
        assertThat(record(v3.getId()).getState()).isEqualTo(MigrationPhase.QUEUED);
        gated.gate(v2.getId()).countDown();
        gated.gate(v3.getId()).countDown();
        await("all three migrated", () -> List.of(v1, v2, v3).stream()
                .allMatch(v -> reload(v.getId()).getMigrationStatus() == MigrationStatus.SUCCESS));

        assertThat(gated.starts).containsExactly(v1.getId(), v2.getId(), v3.getId());
        assertThat(gated.slotsAtStart).allMatch(n -> n <= 1);
        assertThat(record(v3.getId()).getQueuedAt()).isNotNull();
        assertThat(record(v3.getId()).getState()).isEqualTo(MigrationPhase.SUCCESS);
    }

    @Test
    void neverMoreThanTheLimitHoldASlotByTheRecords() throws Exception {
        String backend = newBackend();
        VolumeMigrator m = migrator(backend, 2, 0);
        List<VolumeEntity> vs = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            vs.add(on(backend));
        }
        vs.forEach(v -> migrate(m, v));
        List<Long> sampled = new ArrayList<>();
        // Open the gates one at a time, oldest started first, sampling the records between.
        for (int done = 0; done < 5; done++) {
            int expect = Math.min(done + 2, 5);
            await(expect + " copies started", () -> gated.starts.size() >= expect);
            sampled.add(slotsHeld(backend));
            assertThat(ctx.getBean(MigrationQueue.class).queued(backend)).hasSize(5 - expect);
            gated.gate(gated.starts.get(done)).countDown();
        }
        await("all migrated", () -> vs.stream()
                .allMatch(v -> reload(v.getId()).getMigrationStatus() == MigrationStatus.SUCCESS));

        assertThat(sampled).allMatch(n -> n <= 2).contains(2L);
        assertThat(gated.slotsAtStart).hasSize(5).allMatch(n -> n <= 2);
        assertThat(gated.starts).containsExactlyElementsOf(vs.stream().map(VolumeEntity::getId).toList());
    }

    @Test
    void aCancelledQueuedMigrationLeavesTheQueueAndTheVolumeAsACancelledRunningOneWould() throws Exception {
        String backend = newBackend();
        VolumeMigrator m = migrator(backend, 1, 0);
        VolumeEntity v1 = on(backend);
        VolumeEntity v2 = on(backend);
        VolumeEntity v3 = on(backend);
        migrate(m, v1);
        await("first copy started", () -> gated.starts.size() == 1);
        migrate(m, v2);
        migrate(m, v3);

        m.cancel(v2.getId());

        VolumeEntity after = reload(v2.getId());
        assertThat(after.getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(after.getStatusReason()).isEqualTo("cancelled");
        assertThat(after.getStatus()).isEqualTo(VolumeStatus.AVAILABLE);
        assertThat(after.getHost()).isEqualTo(backend + "#one");
        VolumeMigrationEntity r2 = record(v2.getId());
        assertThat(r2.getState()).isEqualTo(MigrationPhase.ERROR);
        assertThat(r2.getDetail()).isEqualTo("cancelled");
        assertThat(r2.getFinishedAt()).isNotNull();
        assertThat(position(v3)).isEqualTo(1);

        gated.gate(v1.getId()).countDown();
        gated.gate(v3.getId()).countDown();
        await("v3 migrated", () -> reload(v3.getId()).getMigrationStatus() == MigrationStatus.SUCCESS);
        assertThat(gated.starts).containsExactly(v1.getId(), v3.getId());
        // A running one's cancel, for comparison: the same volume state and reason.
        VolumeEntity v4 = on(backend);
        migrate(m, v4);
        await("v4 copying", () -> gated.starts.contains(v4.getId()));
        m.cancel(v4.getId());
        await("v4 cancelled", () -> reload(v4.getId()).getMigrationStatus() == MigrationStatus.ERROR);
        assertThat(reload(v4.getId()).getStatusReason()).isEqualTo(after.getStatusReason());
        assertThat(reload(v4.getId()).getStatus()).isEqualTo(after.getStatus());
    }

    @Test
    void aMigrationQueuedWhenTheServiceStoppedRunsAfterItsRestartAndTheInterruptedOneFails() throws Exception {
        String backend = newBackend();
        // What a crash leaves: one migration holding the slot mid-way, one queued behind it.
        VolumeEntity running = on(backend);
        running.setMigrationStatus(MigrationStatus.MIGRATING);
        volumes.saveAndFlush(running);
        MigrationRecorder recorder = ctx.getBean(MigrationRecorder.class);
        VolumeMigrationEntity interrupted = recorder.start(RequestContext.internal(), running, request(running));
        recorder.phase(interrupted, MigrationPhase.COPYING);
        VolumeEntity waiting = on(backend);
        waiting.setMigrationStatus(MigrationStatus.MIGRATING);
        volumes.saveAndFlush(waiting);
        RequestContext owner = new RequestContext("req-queued-before-restart", "user", "project", List.of("admin"));
        recorder.queue(owner, waiting, request(waiting), ctx.getBean(JsonMapper.class)
                .writeValueAsString(new VolumeMigrator.QueuedRequest(owner, request(waiting))), 0);
        VolumeMigrator restarted = migrator(backend, 1, 0);
        gated.gate(waiting.getId()).countDown();
        restarted.recoverAfterRestart();
        restarted.startQueue();

        await("queued one migrated", () -> reload(waiting.getId()).getMigrationStatus() == MigrationStatus.SUCCESS);
        assertThat(reload(running.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(reload(running.getId()).getStatusReason()).isEqualTo("interrupted by a restart of " + backend);
        VolumeMigrationEntity ran = record(waiting.getId());
        assertThat(ran.getState()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(ran.getRequestId()).isEqualTo("req-queued-before-restart");
        assertThat(gated.starts).containsExactly(waiting.getId());
    }

    @Test
    void aHostsLimitSpansItsBackendsAndADeadBackendsSlotIsFreedByItsHeartbeat() throws Exception {
        String one = newBackend();
        String two = one.substring(0, one.indexOf('@')) + "@two";
        ServiceRegistry services = ctx.getBean(ServiceRegistry.class);
        services.register(ServiceRegistry.VOLUME_BINARY, one, RpcTopics.VOLUME, "nova");
        services.register(ServiceRegistry.VOLUME_BINARY, two, RpcTopics.VOLUME, "nova");
        VolumeMigrator first = migrator(one, 0, 1);
        Gated firstCopies = gated;
        VolumeMigrator second = migrator(two, 0, 1);
        second.startQueue(); // starts its queue's poll
        VolumeEntity v1 = on(one);
        VolumeEntity v2 = on(two);

        migrate(first, v1);
        await("copy on " + one, () -> firstCopies.starts.size() == 1);
        migrate(second, v2);
        Thread.sleep(VolumeMigrator.QUEUE_POLL_SECONDS * 1000L + 500);
        assertThat(record(v2.getId()).getState()).isEqualTo(MigrationPhase.QUEUED);
        assertThat(gated.starts).isEmpty();

        // The first backend stops heartbeating (a crashed process): its slot no longer counts for the host.
        new JdbcTemplate(ctx.getBean(DataSource.class)).update("UPDATE services SET updated_at = ? WHERE host = ?",
                Timestamp.valueOf(Clock.now().minusHours(1)), one);
        gated.gate(v2.getId()).countDown();
        await("v2 admitted by the poll", () -> reload(v2.getId()).getMigrationStatus() == MigrationStatus.SUCCESS);
        assertThat(record(v1.getId()).getFinishedAt()).isNull();
        firstCopies.gate(v1.getId()).countDown();
        await("v1 migrated", () -> reload(v1.getId()).getMigrationStatus() == MigrationStatus.SUCCESS);
    }

    // --- helpers

    /** A backend of its own per test: the queue is per backend, the database is the class's. */
    private static String newBackend() {
        return "q" + BACKENDS.incrementAndGet() + "-" + Long.toHexString(System.nanoTime()) + "@one";
    }

    private VolumeMigrator migrator(String backend, int perBackend, int perHost) {
        gated = new Gated();
        gated.backend = backend;
        VolumeMigrator m = ctx.getBean(VolumeMigratorFactory.class).create(backend, driver, gated,
                new MigrationQueue.Limits(perBackend, perHost));
        started.add(m);
        return m;
    }

    private VolumeEntity on(String backend) throws Exception {
        VolumeEntity v = migratable();
        v.setHost(backend + "#one");
        return volumes.saveAndFlush(v);
    }

    private static MigrateVolume request(VolumeEntity v) {
        return new MigrateVolume(v.getId(), DESTINATION, Map.of("thin_provisioning_support", true), true, null, null);
    }

    private void migrate(VolumeMigrator m, VolumeEntity v) {
        m.migrateVolume(RequestContext.internal(), request(v));
    }

    private long position(VolumeEntity v) {
        VolumeMigrationEntity r = record(v.getId());
        String backend = MigrationQueue.backendOf(r.getSourceHost());
        return ctx.getBean(VolumeMigrationRepository.class).queuePosition(backend,
                backend.replace("_", "!_") + "#%", r.getQueueSeq());
    }

    /** Migrations of the backend that hold a slot, by their records. */
    private static long slotsHeld(String backend) {
        return ctx.getBean(MigrationQueue.class).running(backend);
    }

    private static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for: " + what);
            }
            Thread.sleep(20);
        }
    }
}
