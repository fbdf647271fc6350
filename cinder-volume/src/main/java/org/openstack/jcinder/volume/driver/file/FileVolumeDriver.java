package org.openstack.jcinder.volume.driver.file;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.capability.PoolCapabilities;
import org.openstack.jcinder.common.config.BackendConfig;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.NativeCopyEngine;
import org.openstack.jcinder.volume.driver.DriverOptions;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.openstack.jcinder.volume.driver.VolumeDriverFactory;

/**
 * Volumes as sparse files {@code volume-<name_id or id>} in one directory per backend. Thin by nature: a new
 * volume takes no space until written, and reads as zeros. Its pool is the backend itself.
 *
 * <p>Options of its cinder.conf section ({@link FileOptions}, {@link DriverOptions}): {@code file_volume_dir}
 * (default {@code state_path/volumes/<backend>}), {@code file_volume_capacity_gb} (default: the directory's
 * filesystem), {@code reserved_percentage} (0), {@code max_over_subscription_ratio} (1.0).
 */
public class FileVolumeDriver implements VolumeDriver {

    private static final long GIB = 1L << 30;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(FileVolumeDriver.class);
    private static final String LOCATION_PREFIX = "FileVolumeDriver:";
    private static final NativeCopyEngine NATIVE_COPY = new NativeCopyEngine(NativeCopyEngine.Settings.defaults());

    private final CinderConfig config;
    private final BackendConfig backend;
    private final Path directory;
    private final long configuredCapacityGb;
    private final int reservedPercentage;
    private final double overSubscription;

    public FileVolumeDriver(CinderConfig config, BackendConfig backend) {
        this.config = config;
        this.backend = backend;
        this.directory = backend.find(FileOptions.FILE_VOLUME_DIR).map(Path::of)
                .orElseGet(() -> VolumeDriverFactory.defaultDirectory(config, backend, "volumes",
                        FileOptions.FILE_VOLUME_DIR))
                .toAbsolutePath();
        this.configuredCapacityGb = backend.find(FileOptions.FILE_VOLUME_CAPACITY_GB).orElse(-1L);
        this.reservedPercentage = backend.get(DriverOptions.RESERVED_PERCENTAGE);
        this.overSubscription = backend.get(FileOptions.MAX_OVER_SUBSCRIPTION_RATIO);
    }

    public Path directory() {
        return directory;
    }

    @Override
    public void setup() {
        try {
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot create volume directory " + directory + ": " + e.getMessage());
        }
        if (!Files.isWritable(directory)) {
            throw new VolumeDriverException("volume directory " + directory + " is not writable");
        }
    }

    public Path pathOf(VolumeEntity volume) {
        return directory.resolve(volume.backendName());
    }

    @Override
    public String createVolume(VolumeEntity volume) {
        Path path = pathOf(volume);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            // setLength on a new file makes it sparse: no blocks until the guest writes.
            file.setLength(volume.getSize() * GIB);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot create " + path + ": " + e.getMessage());
        }
        return path.toString();
    }

    @Override
    public void deleteVolume(VolumeEntity volume) {
        Path path = pathOf(volume);
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot delete " + path + ": " + e.getMessage());
        }
    }

    /** A longer sparse file: the new tail is a hole and reads as zeros. */
    @Override
    public void extendVolume(VolumeEntity volume, int newSizeGb) {
        Path path = pathOf(volume);
        try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
            if (file.length() > newSizeGb * GIB) {
                throw new VolumeDriverException(path + " is larger than " + newSizeGb + " GiB: refusing to shrink");
            }
            file.setLength(newSizeGb * GIB);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot extend " + path + ": " + e.getMessage());
        }
    }

    /**
     * A new sparse file {@code snapshot-<id>} filled by the native copy engine: a reflink ({@code FICLONE}) where
     * the filesystem shares blocks (XFS reflink, btrfs: instant, no space), else {@code copy_file_range} over the
     * data extents, else a user-space copy that skips holes: the snapshot stays as sparse as its volume.
     */
    @Override
    public String createSnapshot(SnapshotEntity snapshot, VolumeEntity volume) {
        return sparseCopy(pathOf(volume), directory.resolve(snapshot.backendName()), volume.getSize(),
                volume.getSize());
    }

    /** The snapshot's file copied the same way; a larger volume's tail is a hole (zeros). */
    @Override
    public String createVolumeFromSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        return sparseCopy(directory.resolve(snapshot.backendName()), pathOf(volume), snapshot.getVolumeSize(),
                volume.getSize());
    }

    /**
     * The snapshot's file copied as {@link #createSnapshot} copies (reflink where the filesystem shares blocks,
     * else the data extents only: holes stay holes) into a new file beside the volume's, which then replaces the
     * volume's file in one rename: a failed copy leaves the volume as it was, and the volume's blocks written
     * since the snapshot are not read at all.
     */
    @Override
    public void revertToSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        Path target = pathOf(volume);
        Path temp = directory.resolve(volume.backendName() + ".revert");
        sparseCopy(directory.resolve(snapshot.backendName()), temp, snapshot.getVolumeSize(), volume.getSize());
        try {
            Files.move(temp, target, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                    java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException ignored) {
                // the rename's error is the one to report
            }
            throw new VolumeDriverException("cannot replace " + target + " by the snapshot's copy: "
                    + e.getMessage(), e);
        }
        LOG.info("Volume {}: file {} now holds the data of snapshot {}", volume.getId(), target, snapshot.getId());
    }

    @Override
    public String createClonedVolume(VolumeEntity volume, VolumeEntity source) {
        return sparseCopy(pathOf(source), pathOf(volume), source.getSize(), volume.getSize());
    }

    /**
     * {@code sourceGb} GiB of {@code source} into a new sparse file of {@code targetGb} GiB by the native engine
     * (reflink, copy_file_range or a hole-skipping copy); on failure the new file is removed.
     */
    private String sparseCopy(Path source, Path target, int sourceGb, int targetGb) {
        if (!Files.exists(source)) {
            throw new VolumeDriverException("source file " + source + " does not exist");
        }
        try {
            try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                file.setLength(sourceGb * GIB);
            }
            NATIVE_COPY.copy(source, target, sourceGb * GIB, true, b -> { }, CopyControl.none());
            if (targetGb > sourceGb) {
                try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                    file.setLength(targetGb * GIB);
                }
            }
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the copy's error is the one to report
            }
            throw new VolumeDriverException("copy " + source + " -> " + target + " failed: " + e.getMessage(), e);
        }
        return target.toString();
    }

    @Override
    public void deleteSnapshot(SnapshotEntity snapshot) {
        Path path = directory.resolve(snapshot.backendName());
        try {
            Files.deleteIfExists(path);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot delete " + path + ": " + e.getMessage());
        }
    }

    /** A new sparse file of the snapshot's size; an existing file is refused, never reused. */
    @Override
    public String createSnapshotTarget(SnapshotEntity snapshot) {
        Path path = directory.resolve(snapshot.backendName());
        try {
            Files.createFile(path);
            try (RandomAccessFile file = new RandomAccessFile(path.toFile(), "rw")) {
                file.setLength(snapshot.getVolumeSize() * GIB);
            }
        } catch (java.nio.file.FileAlreadyExistsException e) {
            throw new VolumeDriverException(path + " already exists");
        } catch (IOException e) {
            throw new VolumeDriverException("cannot create " + path + ": " + e.getMessage());
        }
        return path.toString();
    }

    @Override
    public ConnectionInfo initializeSnapshotConnection(SnapshotEntity snapshot) {
        Path path = directory.resolve(snapshot.backendName());
        if (!Files.exists(path)) {
            throw new VolumeDriverException("snapshot file " + path + " does not exist");
        }
        return new ConnectionInfo("file", path.toString());
    }

    @Override
    public ConnectionInfo initializeConnection(VolumeEntity volume) {
        Path path = pathOf(volume);
        if (!Files.exists(path)) {
            throw new VolumeDriverException("volume file " + path + " does not exist");
        }
        return new ConnectionInfo("file", path.toString());
    }

    @Override
    public boolean newVolumesReadAsZeros() {
        return true;
    }

    /**
     * Native move between two file backends of the same host: the destination's directory is in its
     * {@code location_info}; the file is copied by the native engine (holes stay holes, every written block
     * verified), flushed, and only then is the source removed. A different host or another driver answers "not moved".
     */
    @Override
    public MoveResult migrateVolume(VolumeEntity volume, BackendHost destination, Map<String, Object> caps,
                                  CopyControl control) {
        return migrateVolume(volume, destination, caps, control, false);
    }

    /** With {@code keepSource} the source file stays (the rollback window); otherwise it is removed. */
    @Override
    public MoveResult migrateVolume(VolumeEntity volume, BackendHost destination, Map<String, Object> caps,
                                  CopyControl control, boolean keepSource) {
        String refusal = nativeMigrationRefusal(volume, destination, caps);
        if (refusal != null) {
            return MoveResult.notMoved(refusal);
        }
        Path source = pathOf(volume);
        Path target = targetDirectory(caps).resolve(volume.backendName());
        try {
            try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                file.setLength(volume.getSize() * GIB);
            }
            // A new sparse file reads as zeros: only the source's data is read, written and verified.
            NATIVE_COPY.copy(source, target, volume.getSize() * GIB, true, bytes -> { }, control);
        } catch (IOException | RuntimeException e) {
            try {
                Files.deleteIfExists(target);
            } catch (IOException ignored) {
                // the copy failed first; that error is the one to report
            }
            throw new VolumeDriverException("native copy " + source + " -> " + target + " failed: " + e.getMessage(), e);
        }
        if (!keepSource) {
            try {
                Files.delete(source);
            } catch (IOException e) {
                // The data is safe at the destination; a leftover source file is only wasted space.
            }
        }
        return MoveResult.moved(target.toString());
    }

    // ---------------------------------------------------------------------------------------- manage, unmanage

    private static final String SNAPSHOT_PREFIX = "snapshot-";

    /**
     * The file {@code ref}'s {@code source-name} names in this backend's directory; Cinder's invalid-reference
     * error when the name is not a plain file name there or no regular file has it.
     */
    private Path existing(Map<String, Object> ref) {
        String name = org.openstack.jcinder.volume.driver.ManageReference.sourceName(ref);
        Path path = directory.resolve(name).normalize();
        if (name.contains("/") || name.startsWith(".") || !path.getParent().equals(directory)
                || !Files.isRegularFile(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            throw org.openstack.jcinder.volume.driver.ManageReference.invalid(name,
                    "Specified file does not exist.");
        }
        return path;
    }

    private int sizeToManage(Map<String, Object> ref, Map<String, String> managedNames) {
        Path path = existing(ref);
        String name = path.getFileName().toString();
        if (managedNames.containsKey(name)) {
            throw org.openstack.jcinder.volume.driver.ManageReference.alreadyManaged(name);
        }
        try {
            // Cinder rounds an object's size up to whole GiB.
            return (int) Math.max(1, (Files.size(path) + GIB - 1) / GIB);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot read the size of " + path + ": " + e.getMessage());
        }
    }

    /** Renames the file to {@code target} (same directory: atomic); a shorter file gets a sparse tail to size. */
    private String adopt(Map<String, Object> ref, Path target, int sizeGb) {
        Path path = existing(ref);
        try {
            if (!path.equals(target)) {
                if (Files.exists(target)) {
                    throw new VolumeDriverException(target + " already exists");
                }
                Files.move(path, target, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            }
            try (RandomAccessFile file = new RandomAccessFile(target.toFile(), "rw")) {
                if (file.length() < sizeGb * GIB) {
                    file.setLength(sizeGb * GIB);
                }
            }
        } catch (IOException e) {
            throw new VolumeDriverException("Failed to rename " + path + " to " + target + ": " + e.getMessage());
        }
        return target.toString();
    }

    @Override
    public int manageExistingGetSize(VolumeEntity volume, Map<String, Object> ref, Map<String, String> managedNames) {
        return sizeToManage(ref, managedNames);
    }

    @Override
    public String manageExisting(VolumeEntity volume, Map<String, Object> ref) {
        return adopt(ref, pathOf(volume), volume.getSize());
    }

    @Override
    public int manageExistingSnapshotGetSize(SnapshotEntity snapshot, Map<String, Object> ref,
                                             Map<String, String> managedNames) {
        return sizeToManage(ref, managedNames);
    }

    @Override
    public String manageExistingSnapshot(SnapshotEntity snapshot, Map<String, Object> ref) {
        return adopt(ref, directory.resolve(snapshot.backendName()), snapshot.getVolumeSize());
    }

    @Override
    public List<org.openstack.jcinder.common.volume.ManageableEntry> manageableVolumes(
            Map<String, String> managedNames) {
        return manageable(managedNames, false);
    }

    @Override
    public List<org.openstack.jcinder.common.volume.ManageableEntry> manageableSnapshots(
            Map<String, String> managedNames) {
        return manageable(managedNames, true);
    }

    /** Files named snapshot-* are snapshots, every other plain file a volume; a file's origin is unknown. */
    private List<org.openstack.jcinder.common.volume.ManageableEntry> manageable(Map<String, String> managedNames,
                                                                                  boolean snapshots) {
        List<org.openstack.jcinder.common.volume.ManageableEntry> out = new java.util.ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory)) {
            for (Path f : files) {
                String name = f.getFileName().toString();
                if (name.startsWith(".") || !Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)
                        || name.startsWith(SNAPSHOT_PREFIX) != snapshots) {
                    continue;
                }
                String cinderId = managedNames.get(name);
                Map<String, Object> source = null;
                if (snapshots) {
                    source = new java.util.HashMap<>();
                    source.put("source-name", null);
                }
                out.add(new org.openstack.jcinder.common.volume.ManageableEntry(Map.of("source-name", name),
                        (int) Math.max(1, (Files.size(f) + GIB - 1) / GIB), cinderId == null,
                        cinderId == null ? null : "already managed", cinderId, null, source));
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot list " + directory + ": " + e.getMessage());
        }
        return out;
    }

    @Override
    public String nativeMigrationRefusal(VolumeEntity volume, BackendHost destination, Map<String, Object> caps) {
        Path targetDir = targetDirectory(caps);
        if (targetDir == null) {
            return "destination is not a file backend on host " + config.host();
        }
        if (targetDir.equals(directory)) {
            return "destination directory is the source directory";
        }
        Path target = targetDir.resolve(volume.backendName());
        return Files.exists(target) ? target + " already exists" : null;
    }

    /** The destination's directory from its {@code location_info}, when it is a file backend of this host. */
    private Path targetDirectory(Map<String, Object> caps) {
        Object info = caps == null ? null : caps.get("location_info");
        String prefix = LOCATION_PREFIX + config.host() + ":";
        if (!(info instanceof String location) || !location.startsWith(prefix)) {
            return null;
        }
        return Path.of(location.substring(prefix.length()));
    }

    @Override
    public BackendCapabilities stats() {
        long provisionedBytes = 0;
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, "volume-*")) {
            for (Path f : files) {
                provisionedBytes += Files.size(f);
            }
        } catch (IOException e) {
            throw new VolumeDriverException("cannot list " + directory + ": " + e.getMessage());
        }
        double provisionedGb = provisionedBytes / (double) GIB;
        double totalGb;
        double freeGb;
        if (configuredCapacityGb >= 0) {
            totalGb = configuredCapacityGb;
            freeGb = Math.max(0, configuredCapacityGb - provisionedGb);
        } else {
            try {
                FileStore store = Files.getFileStore(directory);
                totalGb = store.getTotalSpace() / (double) GIB;
                freeGb = store.getUsableSpace() / (double) GIB;
            } catch (IOException e) {
                throw new VolumeDriverException("cannot read capacity of " + directory + ": " + e.getMessage());
            }
        }
        PoolCapabilities pool = new PoolCapabilities(backend.volumeBackendName(), round(totalGb), round(freeGb),
                round(provisionedGb), round(provisionedGb), reservedPercentage, true, false, overSubscription,
                false, LOCATION_PREFIX + config.host() + ":" + directory);
        return new BackendCapabilities(config.host() + "@" + backend.name(), backend.volumeBackendName(),
                "Open Source", "1.0.0", "file", config.storageAvailabilityZone(),
                LocalDateTime.now(ZoneOffset.UTC).toString(), true, null, List.of(pool));
    }

    private static double round(double gb) {
        return Math.round(gb * 100) / 100.0;
    }
}
