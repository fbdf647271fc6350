package org.openstack.jcinder.volume.migration;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.UpdateMigrated;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.CopyEngine;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.nova.NovaClient;

/**
 * Stand-ins for the seams of the migration paths — the source's driver, its copy engine, the destination
 * backend and Nova — that record what they were asked and do it on plain files, so a test can check both the
 * calls and the bytes. The database behind them is real.
 */
final class Fakes {

    private Fakes() {
    }

    private static Path file(Path dir, String name) {
        try {
            Files.createDirectories(dir);
            return dir.resolve(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The source backend: one file per backend object, named after the volume's backend name. */
    static final class Driver implements VolumeDriver {
        final Path dir;
        final List<String> calls = new CopyOnWriteArrayList<>();
        /** What {@link #migrateVolume} does; by default Cinder's "not moved". */
        volatile Supplier<MoveResult> nativeMove = () -> MoveResult.notMoved("fake driver has no native migration");

        Driver(Path dir) {
            this.dir = dir;
        }

        Path objectOf(VolumeEntity v) {
            return file(dir, v.backendName());
        }

        @Override
        public void setup() {
        }

        @Override
        public String createVolume(VolumeEntity volume) {
            calls.add("create " + volume.getId());
            return objectOf(volume).toString();
        }

        @Override
        public void deleteVolume(VolumeEntity volume) {
            calls.add("delete " + volume.getId());
            try {
                Files.deleteIfExists(objectOf(volume));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public BackendCapabilities stats() {
            throw new UnsupportedOperationException();
        }

        @Override
        public MoveResult migrateVolume(VolumeEntity volume, BackendHost destination, Map<String, Object> caps,
                                        CopyControl control) {
            calls.add("migrate " + volume.getId() + " " + destination);
            return nativeMove.get();
        }

        @Override
        public ConnectionInfo initializeConnection(VolumeEntity volume) {
            calls.add("connect " + volume.getId());
            return new ConnectionInfo("file", objectOf(volume).toString());
        }

        @Override
        public void terminateConnection(VolumeEntity volume) {
            calls.add("disconnect " + volume.getId());
        }

        /** The destination's storage a native move reaches (another "VG" of this host), or null for none. */
        volatile Driver nativeTarget;
        /** A snapshot id whose copy this driver (as a native destination) refuses to create. */
        volatile String refuseSnapshot;
        /** Run when the source's object of a snapshot is deleted: the test checks the database at that moment. */
        volatile java.util.function.Consumer<SnapshotEntity> onSnapshotDelete = s -> { };

        Path objectOf(SnapshotEntity s) {
            return file(dir, s.backendName());
        }

        @Override
        public String createSnapshotTarget(SnapshotEntity snapshot) {
            calls.add("create snapshot " + snapshot.getId());
            if (snapshot.getId().equals(refuseSnapshot)) {
                throw new VolumeDriverException("refused snapshot " + snapshot.getId());
            }
            try {
                Files.createFile(objectOf(snapshot));
            } catch (IOException e) {
                throw new VolumeDriverException(objectOf(snapshot) + " exists: " + e);
            }
            return objectOf(snapshot).toString();
        }

        @Override
        public ConnectionInfo initializeSnapshotConnection(SnapshotEntity snapshot) {
            calls.add("connect snapshot " + snapshot.getId());
            return new ConnectionInfo("file", objectOf(snapshot).toString());
        }

        @Override
        public void terminateSnapshotConnection(SnapshotEntity snapshot) {
            calls.add("disconnect snapshot " + snapshot.getId());
        }

        @Override
        public void deleteSnapshot(SnapshotEntity snapshot) {
            calls.add("delete snapshot " + snapshot.getId());
            onSnapshotDelete.accept(snapshot);
            try {
                Files.deleteIfExists(objectOf(snapshot));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        @Override
        public java.util.Optional<VolumeDriver> nativeDestination(BackendHost destination, Map<String, Object> caps) {
            return java.util.Optional.ofNullable(nativeTarget);
        }
    }

    /** Copies the file, or fails / gets cancelled as a test says. */
    static final class Copier implements CopyEngine {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile RuntimeException failure;
        volatile boolean cancelMidway;
        volatile boolean live;
        /** Called with the copy's number (1 = the first) before it runs: a test fails or cancels one step. */
        volatile java.util.function.BiConsumer<Integer, CopyControl> beforeCopy = (n, c) -> { };

        @Override
        public void copy(Path source, Path destination, long bytes, boolean sparse, Progress progress,
                         CopyControl control) {
            calls.add(source.getFileName() + " -> " + destination.getFileName() + " sparse=" + sparse);
            beforeCopy.accept(calls.size(), control);
            progress.copied(bytes / 2);
            if (cancelMidway) {
                control.cancel();
            }
            control.throwIfCancelled();
            if (failure != null) {
                throw failure;
            }
            try {
                Files.copy(source, destination, StandardCopyOption.REPLACE_EXISTING);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            progress.copied(bytes);
        }

        @Override
        public boolean followsLiveBandwidthLimit() {
            return live;
        }
    }

    /** The destination's volume service: creates and deletes objects in its own directory, as the RPC would. */
    static final class Destination implements DestinationBackend {
        final VolumeRepository volumes;
        Path dir;
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile RuntimeException createFailure;
        volatile MigratedName name = MigratedName.KEPT;

        Destination(VolumeRepository volumes) {
            this.volumes = volumes;
        }

        Path objectOf(String volumeId) {
            return file(dir, "volume-" + volumeId);
        }

        @Override
        public void createVolume(RequestContext ctx, BackendHost destination, String volumeId) {
            calls.add("create " + volumeId + " on " + destination);
            if (createFailure != null) {
                throw createFailure;
            }
            volumes.markCreated(volumeId, objectOf(volumeId).toString(), Clock.now());
        }

        @Override
        public ConnectionInfo initializeConnection(RequestContext ctx, BackendHost destination, String volumeId) {
            calls.add("connect " + volumeId);
            return new ConnectionInfo("file", objectOf(volumeId).toString());
        }

        @Override
        public void terminateConnection(RequestContext ctx, BackendHost destination, String volumeId) {
            calls.add("disconnect " + volumeId);
        }

        @Override
        public MigratedName updateMigratedVolume(RequestContext ctx, BackendHost destination, UpdateMigrated request) {
            calls.add("update_migrated " + request.volumeId() + " " + request.newVolumeId());
            return name;
        }

        @Override
        public void deleteVolume(RequestContext ctx, BackendHost host, String volumeId) {
            calls.add("delete " + volumeId + " on " + host);
        }

        /** A snapshot id whose copy the destination refuses to create (as a backend out of space would). */
        volatile String refuseSnapshot;

        Path objectOfSnapshot(String snapshotId) {
            return file(dir, "snapshot-" + snapshotId);
        }

        @Override
        public String createSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId) {
            calls.add("create snapshot " + snapshotId + " on " + destination);
            if (snapshotId.equals(refuseSnapshot)) {
                throw new VolumeDriverException("destination refused snapshot " + snapshotId);
            }
            try {
                Files.createFile(objectOfSnapshot(snapshotId));
            } catch (IOException e) {
                throw new VolumeDriverException(objectOfSnapshot(snapshotId) + " exists: " + e);
            }
            return objectOfSnapshot(snapshotId).toString();
        }

        @Override
        public ConnectionInfo initializeSnapshotConnection(RequestContext ctx, BackendHost destination,
                                                           String snapshotId) {
            calls.add("connect snapshot " + snapshotId);
            return new ConnectionInfo("file", objectOfSnapshot(snapshotId).toString());
        }

        @Override
        public void terminateSnapshotConnection(RequestContext ctx, BackendHost destination, String snapshotId) {
            calls.add("disconnect snapshot " + snapshotId);
        }

        @Override
        public void deleteSnapshotTarget(RequestContext ctx, BackendHost destination, String snapshotId) {
            calls.add("delete snapshot " + snapshotId + " on " + destination);
            try {
                Files.deleteIfExists(objectOfSnapshot(snapshotId));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }

        void reset(Path newDir) {
            dir = newDir;
            calls.clear();
            createFailure = null;
            refuseSnapshot = null;
            name = MigratedName.KEPT;
        }
    }

    /** Nova: accepts or refuses the swap request; the test plays the compute service's completion itself. */
    static final class Nova implements NovaClient {
        final List<String> calls = new CopyOnWriteArrayList<>();
        volatile boolean refuse;

        @Override
        public void updateServerVolume(RequestContext ctx, String serverId, String oldVolumeId, String newVolumeId) {
            calls.add("swap " + serverId + " " + oldVolumeId + " -> " + newVolumeId);
            if (refuse) {
                throw new VolumeDriverException("Nova refused the swap (409)");
            }
        }

        @Override
        public void volumeExtended(RequestContext ctx, List<String> serverIds, String volumeId) {
            calls.add("extended " + serverIds + " " + volumeId);
        }

        void reset() {
            calls.clear();
            refuse = false;
        }
    }
}
