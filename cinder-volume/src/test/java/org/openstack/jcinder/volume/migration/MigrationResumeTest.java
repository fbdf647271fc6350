package org.openstack.jcinder.volume.migration;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeMigrationEntity;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.MigrateVolume;
import org.openstack.jcinder.common.service.ServiceRegistry;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.MigrationPath;
import org.openstack.jcinder.common.volume.MigrationPhase;
import org.openstack.jcinder.common.volume.MigrationStatus;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.copy.CheckpointedCopy;
import org.openstack.jcinder.volume.copy.NativeCopyEngine;

/**
 * A host copy interrupted by a crash of its volume service (what the record, the checkpoints and the two
 * objects look like after a kill -9 after the first range) goes on at start from the last checkpoint the
 * destination still matches, with the real native engine; a checkpoint the destination no longer matches is
 * not trusted.
 */
class MigrationResumeTest extends MigrationTestBase {

    private static final long MIB = 1 << 20;
    /** migration_checkpoint_mb's default. */
    private static final long RANGE = 256 * MIB;

    @Test
    void resumesAfterTheLastVerifiedCheckpointAndSkipsWhatWasCopied() throws Exception {
        Interrupted i = interruptedAfterFirstRange(false);

        migrator.recoverAfterRestart();

        VolumeMigrationEntity r = awaitEnd(i.volume);
        assertThat(r.getState()).as(r.getDetail()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(r.getResumeCount()).isEqualTo(1);
        assertThat(r.getResumedFrom()).isEqualTo(RANGE);
        assertThat(r.getDetail()).contains("resumed after a restart of its volume service at byte " + RANGE);
        assertThat(reload(i.volume.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.SUCCESS);
        // The first range was not copied again (the marker the test put there survives); the rest was.
        assertThat(read(i.destination, 0, 16)).isEqualTo(i.marker);
        assertThat(read(i.destination, 300 * MIB, 4096)).isEqualTo(read(i.source, 300 * MIB, 4096));
        // The rest of the volume holds 64 KiB of data: one range (ranges count data, not holes).
        assertThat(ctx.getBean(MigrationRecorder.class).checkpoints(r)).extracting(CheckpointedCopy.Checkpoint::end)
                .containsExactly(RANGE, 1024L * MIB);
    }

    @Test
    void aCheckpointTheDestinationNoLongerMatchesIsCopiedAgain() throws Exception {
        Interrupted i = interruptedAfterFirstRange(true);

        migrator.recoverAfterRestart();

        VolumeMigrationEntity r = awaitEnd(i.volume);
        assertThat(r.getState()).as(r.getDetail()).isEqualTo(MigrationPhase.SUCCESS);
        assertThat(r.getResumedFrom()).isZero();
        assertThat(read(i.destination, 0, 16)).isEqualTo(read(i.source, 0, 16));
        assertThat(read(i.destination, 300 * MIB, 4096)).isEqualTo(read(i.source, 300 * MIB, 4096));
    }

    @Test
    void withoutItsTemporaryVolumeTheMigrationFailsCleanly() throws Exception {
        Interrupted i = interruptedAfterFirstRange(false);
        volumes.compareAndSetStatus(i.target.getId(), java.util.List.of(VolumeStatus.AVAILABLE), VolumeStatus.ERROR,
                Clock.now());

        migrator.recoverAfterRestart();

        assertThat(reload(i.volume.getId()).getMigrationStatus()).isEqualTo(MigrationStatus.ERROR);
        assertThat(record(i.volume.getId()).getResumeCount()).isZero();
        assertThat(reload(i.volume.getId()).getHost()).isEqualTo(SOURCE + "#one");
    }

    @Test
    void theRedeliveredRequestOfAResumedMigrationLeavesItRunning() throws Exception {
        Interrupted i = interruptedAfterFirstRange(false);
        // 4 MiB more to copy at 1 MiB/s: the resumed copy runs for seconds.
        byte[] more = new byte[4 << 20];
        new Random(9).nextBytes(more);
        write(i.source, 512 * MIB, more);
        ctx.getBean(MigrationRecorder.class).bandwidth(record(i.volume.getId()), MIB);

        migrator.recoverAfterRestart();
        // The dead process never acknowledged the migration's request: RabbitMQ delivers it again.
        migrator.migrateVolume(RequestContext.internal(),
                new MigrateVolume(i.volume.getId(), DESTINATION, Map.of(), true, null, null));

        // The resumed copy is still registered as this service's (the reconciler leaves it alone, a cancel
        // reaches it): it ends cancelled, not in success because nothing could stop it.
        migrator.cancel(i.volume.getId());
        VolumeMigrationEntity r = awaitEnd(i.volume);
        assertThat(r.getState()).as(r.getDetail()).isEqualTo(MigrationPhase.ERROR);
        assertThat(r.getDetail()).contains("cancelled");
        assertThat(reload(i.volume.getId()).getHost()).isEqualTo(SOURCE + "#one");
    }

    private record Interrupted(VolumeEntity volume, VolumeEntity target, Path source, Path destination,
                               byte[] marker) {
    }

    /**
     * A 1 GiB volume with data at 0 and at 300 MiB, migrating; its temporary volume holds the first 256 MiB
     * range, recorded as a checkpoint — but with a marker instead of the source's first bytes, so a copy that
     * does not skip the range is seen. {@code corrupt}: the destination changed after the checkpoint.
     */
    private Interrupted interruptedAfterFirstRange(boolean corrupt) throws Exception {
        ctx.getBean(ServiceRegistry.class).register(ServiceRegistry.VOLUME_BINARY,
                BackendHost.parse(DESTINATION).serviceHost(), "volume", "nova");
        migrator = ctx.getBean(VolumeMigratorFactory.class).create(SOURCE, driver,
                new NativeCopyEngine(NativeCopyEngine.Settings.defaults()));
        VolumeEntity v = volume("available", "migrating");
        Path source = driver.objectOf(v);
        byte[] data = new byte[64 << 10];
        new Random(7).nextBytes(data);
        write(source, 0, data);
        write(source, 300 * MIB, data);
        MigrationRecorder recorder = ctx.getBean(MigrationRecorder.class);
        VolumeMigrationEntity record = recorder.start(RequestContext.internal(), v,
                new MigrateVolume(v.getId(), DESTINATION, Map.of(), true, null, null));
        VolumeEntity target = MigrationTargets.newTarget(v, BackendHost.parse(DESTINATION), null);
        target.setStatus(VolumeStatus.AVAILABLE);
        volumes.saveAndFlush(target);
        recorder.path(record, MigrationPath.GENERIC, target.getId());
        recorder.copyStarted(record, true);
        Path destination = destination().objectOf(target.getId());
        byte[] marker = "copied-before-it".getBytes();
        byte[] firstRange = Arrays.copyOf(marker, data.length);
        write(destination, 0, firstRange);
        recorder.checkpoint(record, new CheckpointedCopy.Checkpoint(0, RANGE,
                CheckpointedCopy.crc32c(destination, 0, RANGE)));
        if (corrupt) {
            write(destination, 4096, new byte[] {1, 2, 3});
        }
        return new Interrupted(v, target, source, destination, marker);
    }

    private Fakes.Destination destination() {
        return ctx.getBean(Fakes.Destination.class);
    }

    private VolumeMigrationEntity awaitEnd(VolumeEntity v) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            VolumeMigrationEntity r = record(v.getId());
            if (r.getFinishedAt() != null) {
                return r;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the resumed migration of " + v.getId() + " did not end within 60 s");
    }

    private static void write(Path file, long at, byte[] bytes) throws Exception {
        Files.createDirectories(file.getParent());
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(at);
            f.write(bytes);
        }
    }

    private static byte[] read(Path file, long at, int n) throws Exception {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "r")) {
            byte[] b = new byte[n];
            f.seek(at);
            f.readFully(b);
            return b;
        }
    }
}
