package org.openstack.jcinder.volume.driver.lvm;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.capability.PoolCapabilities;
import org.openstack.jcinder.common.config.BackendConfig;
import org.openstack.jcinder.common.config.CinderConfig;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.copy.NativeCopyEngine;
import org.openstack.jcinder.volume.driver.DriverOptions;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Volumes as logical volumes of one volume group per backend, managed with real lvm2 commands (Cinder's
 * {@code LVMVolumeDriver}; its class name selects this driver). Thick LVs ({@code lvm_type = default}).
 *
 * <p>Options ({@link LvmOptions}, {@link DriverOptions}): {@code volume_group} (required), {@code lvm_type}
 * (auto = default = thick; thin is refused), {@code lvm_mirrors} (0),
 * {@code volume_clear} (zero|none, default zero), {@code volume_clear_size} (MiB, 0 = all),
 * {@code reserved_percentage}, and {@code lvm_activation}:
 * <ul>
 *   <li>{@code device-mapper} (default, production): LVs are activated by lvm2 and used as
 *       {@code /dev/<vg>/<lv>};</li>
 *   <li>{@code loop}: for machines without device-mapper (this project's CI): lvm2 runs with
 *       {@code --driverloaded n}, LVs stay inactive, and an LV's bytes are reached through a loop device
 *       mapped at its extents on the PV ({@code losetup --offset --sizelimit}). Linear LVs on one PV only.</li>
 * </ul>
 */
public class LvmVolumeDriver implements VolumeDriver {

    private static final Logger LOG = LoggerFactory.getLogger(LvmVolumeDriver.class);
    private static final long GIB = 1L << 30;
    static final String LOCATION_PREFIX = "LVMVolumeDriver:";

    private final CinderConfig config;
    private final BackendConfig backend;
    private final String vg;
    private final String lvmType;
    private final long mirrors;
    private final boolean loopActivation;
    private final String volumeClear;
    private final long volumeClearSizeMib;
    private final int reservedPercentage;
    /** Loop devices this driver attached, per LV, so it detaches only its own. */
    private final Map<String, String> loops = new ConcurrentHashMap<>();

    public LvmVolumeDriver(CinderConfig config, BackendConfig backend) {
        this.config = config;
        this.backend = backend;
        this.vg = CommandRunner.safe(backend.require(LvmOptions.VOLUME_GROUP), "volume group");
        if (backend.get(LvmOptions.LVM_TYPE).equals("thin")) {
            // Not written blind: lvm2 without device-mapper (this project's test machines) refuses thin pools
            // ("Can't create thin-pool without using device-mapper kernel driver"), so it could not be tested.
            throw backend.error(LvmOptions.LVM_TYPE, "'thin' is not supported yet (thin pools are untested here); "
                    + "use default (thick LVs)");
        }
        // Cinder's auto picks thin when the VG has a thin pool; without thin support it is thick.
        this.lvmType = "default";
        this.mirrors = backend.get(LvmOptions.LVM_MIRRORS);
        this.loopActivation = backend.get(LvmOptions.LVM_ACTIVATION).equals("loop");
        this.volumeClear = backend.get(LvmOptions.VOLUME_CLEAR);
        this.volumeClearSizeMib = backend.get(LvmOptions.VOLUME_CLEAR_SIZE);
        this.reservedPercentage = backend.get(DriverOptions.RESERVED_PERCENTAGE);
    }

    private List<String> lvm(String command, String... args) {
        List<String> argv = new ArrayList<>(List.of(command));
        if (loopActivation) {
            argv.addAll(List.of("--driverloaded", "n"));
        }
        argv.addAll(List.of(args));
        return argv;
    }

    @Override
    public void setup() {
        try {
            CommandRunner.run(lvm("vgs", "--noheadings", "-o", "vg_name", vg));
        } catch (VolumeDriverException e) {
            throw new VolumeDriverException("volume group " + vg + " is not available: " + e.getMessage());
        }
    }

    private static String lvName(VolumeEntity v) {
        return CommandRunner.safe(v.backendName(), "logical volume");
    }

    @Override
    public String createVolume(VolumeEntity volume) {
        String lv = lvName(volume);
        List<String> argv = loopActivation
                ? lvm("lvcreate", "-an", "-Zn", "-L", volume.getSize() + "g", "-n", lv, vg)
                : lvm("lvcreate", "-L", volume.getSize() + "g", "-n", lv, vg);
        if (mirrors > 0) {
            argv.addAll(argv.size() - 1, List.of("--type", "mirror", "-m", Long.toString(mirrors)));
        }
        CommandRunner.run(argv);
        return "/dev/" + vg + "/" + lv;
    }

    @Override
    public void deleteVolume(VolumeEntity volume) {
        String lv = lvName(volume);
        if (!exists(lv)) {
            return;
        }
        if (volumeClear.equals("zero")) {
            clear(volume);
        }
        detach(lv);
        CommandRunner.run(lvm("lvremove", "-f", vg + "/" + lv));
    }

    /**
     * {@code lvextend -L <N>g vg/lv} (Cinder's {@code extend_volume}). With loop activation the LV must stay
     * one contiguous range for a loop device to map it, so lvm2 is asked for contiguous extents and refuses,
     * with its reason, when the VG has no such room; a stale mapping of the old size is released first.
     */
    @Override
    public void extendVolume(VolumeEntity volume, int newSizeGb) {
        String lv = lvName(volume);
        List<String> argv = loopActivation
                ? lvm("lvextend", "--alloc", "contiguous", "-L", newSizeGb + "g", vg + "/" + lv)
                : lvm("lvextend", "-L", newSizeGb + "g", vg + "/" + lv);
        detach(lv);
        CommandRunner.run(argv);
        LOG.info("Volume {}: extended LV {}/{} to {} GiB", volume.getId(), vg, lv, newSizeGb);
    }

    /** Overwrites the LV with zeros before removal so the next volume on those extents cannot read it. */
    private void clear(VolumeEntity volume) {
        Path device = Path.of(initializeConnection(volume).path());
        long bytes = volumeClearSizeMib > 0 ? Math.min(volumeClearSizeMib << 20, volume.getSize() * GIB)
                : volume.getSize() * GIB;
        ByteBuffer zeros = ByteBuffer.allocateDirect(4 << 20);
        try (FileChannel out = FileChannel.open(device, StandardOpenOption.WRITE)) {
            for (long pos = 0; pos < bytes; pos += zeros.capacity()) {
                zeros.clear().limit((int) Math.min(zeros.capacity(), bytes - pos));
                while (zeros.hasRemaining()) {
                    out.write(zeros, pos + zeros.position());
                }
            }
            out.force(true);
        } catch (IOException e) {
            throw new VolumeDriverException("cannot clear " + device + ": " + e.getMessage(), e);
        }
    }

    private boolean exists(String lv) {
        String out = CommandRunner.run(lvm("lvs", "--noheadings", "-o", "lv_name", vg));
        return out.lines().map(String::strip).anyMatch(lv::equals);
    }

    @Override
    public ConnectionInfo initializeConnection(VolumeEntity volume) {
        String lv = lvName(volume);
        if (!loopActivation) {
            return new ConnectionInfo("local", "/dev/" + vg + "/" + lv);
        }
        return new ConnectionInfo("local", loops.computeIfAbsent(lv, this::attachLoop));
    }

    /** Maps the LV's extents on its PV as a loop device (loop activation). */
    private String attachLoop(String lv) {
        String seg = CommandRunner.run(lvm("lvs", "--noheadings", "--units", "b", "--nosuffix", "-o",
                "seg_pe_ranges,vg_extent_size", vg + "/" + lv)).strip();
        String[] parts = seg.split("\\s+");
        if (parts.length != 2 || parts[0].contains(" ") || !parts[0].matches("/[^:]+:\\d+-\\d+")) {
            throw new VolumeDriverException("LV " + vg + "/" + lv + " is not a linear LV on one PV: " + seg);
        }
        String pv = parts[0].substring(0, parts[0].indexOf(':'));
        String[] range = parts[0].substring(parts[0].indexOf(':') + 1).split("-");
        long extent = Long.parseLong(parts[1]);
        long first = Long.parseLong(range[0]);
        long count = Long.parseLong(range[1]) - first + 1;
        long peStart = Long.parseLong(CommandRunner.run(lvm("pvs", "--noheadings", "--units", "b", "--nosuffix",
                "-o", "pe_start", pv)).strip());
        return CommandRunner.run(List.of("losetup", "--find", "--show", "--offset",
                Long.toString(peStart + first * extent), "--sizelimit", Long.toString(count * extent), pv)).strip();
    }

    @Override
    public void terminateConnection(VolumeEntity volume) {
        detach(lvName(volume));
    }

    private void detach(String lv) {
        String loop = loops.remove(lv);
        if (loop != null) {
            CommandRunner.run(List.of("losetup", "-d", loop));
        }
    }

    /** lvm2 reserves names starting "snapshot": Cinder's LVM driver escapes them with a leading underscore. */
    private static String snapshotLv(SnapshotEntity s) {
        return CommandRunner.safe("_" + s.backendName(), "logical volume");
    }

    /** Where an LV's bytes are reached on this host: the activated device, or a loop device on its extents. */
    private Path device(String lv) {
        return Path.of(loopActivation ? loops.computeIfAbsent(lv, this::attachLoop) : "/dev/" + vg + "/" + lv);
    }

    /** Every block of {@code bytes} from one LV to another (a thick LV may hold old data: no zero skipping). */
    private void copyLv(String from, String to, long bytes) {
        try {
            new NativeCopyEngine(NativeCopyEngine.Settings.defaults()).copy(device(from), device(to), bytes, false,
                    b -> { }, CopyControl.none());
        } finally {
            detach(from);
            detach(to);
        }
    }

    /**
     * With device-mapper, Cinder's {@code lvcreate --snapshot} (a copy-on-write snapshot LV; not tested here:
     * these machines have no device-mapper). With {@code lvm_activation = loop} lvm2 cannot make CoW snapshots,
     * so the snapshot is a full thick copy LV of the volume's size, written block by block.
     */
    @Override
    public String createSnapshot(SnapshotEntity snapshot, VolumeEntity volume) {
        String snap = snapshotLv(snapshot);
        if (!loopActivation) {
            CommandRunner.run(lvm("lvcreate", "--snapshot", "-L", volume.getSize() + "g", "-n", snap,
                    vg + "/" + lvName(volume)));
            return "/dev/" + vg + "/" + snap;
        }
        CommandRunner.run(lvm("lvcreate", "-an", "-Zn", "-L", volume.getSize() + "g", "-n", snap, vg));
        try {
            copyLv(lvName(volume), snap, volume.getSize() * GIB);
        } catch (RuntimeException e) {
            removeQuietly(snap);
            throw e;
        }
        LOG.info("Snapshot {}: thick copy LV {}/{} of volume {}", snapshot.getId(), vg, snap, volume.getId());
        return "/dev/" + vg + "/" + snap;
    }

    @Override
    public void deleteSnapshot(SnapshotEntity snapshot) {
        String snap = snapshotLv(snapshot);
        if (!exists(snap)) {
            return;
        }
        detach(snap);
        CommandRunner.run(lvm("lvremove", "-f", vg + "/" + snap));
    }

    /**
     * A migration's copy of a snapshot on this VG: a thick LV {@code _snapshot-<id>} of the snapshot's size,
     * inactive under loop activation (lvm2 refuses a name that exists). With device-mapper the copy is a plain LV,
     * not a copy-on-write snapshot of the moved volume: it holds the same bytes and serves the same operations.
     */
    @Override
    public String createSnapshotTarget(SnapshotEntity snapshot) {
        String snap = snapshotLv(snapshot);
        CommandRunner.run(loopActivation
                ? lvm("lvcreate", "-an", "-Zn", "-L", snapshot.getVolumeSize() + "g", "-n", snap, vg)
                : lvm("lvcreate", "-L", snapshot.getVolumeSize() + "g", "-n", snap, vg));
        return "/dev/" + vg + "/" + snap;
    }

    @Override
    public ConnectionInfo initializeSnapshotConnection(SnapshotEntity snapshot) {
        return new ConnectionInfo("local", device(snapshotLv(snapshot)).toString());
    }

    @Override
    public void terminateSnapshotConnection(SnapshotEntity snapshot) {
        detach(snapshotLv(snapshot));
    }

    /** Another VG of this host (the rule of {@link #migrateVolume}), as a driver of the same settings. */
    @Override
    public java.util.Optional<VolumeDriver> nativeDestination(BackendHost destination, Map<String, Object> caps) {
        Object info = caps == null ? null : caps.get("location_info");
        if (!(info instanceof String location) || !location.startsWith(LOCATION_PREFIX)) {
            return java.util.Optional.empty();
        }
        String[] f = location.substring(LOCATION_PREFIX.length()).split(":");
        if (f.length < 2 || !f[0].equals(config.host()) || f[1].equals(vg)) {
            return java.util.Optional.empty();
        }
        LvmVolumeDriver target = new LvmVolumeDriver(config, backend.with(LvmOptions.VOLUME_GROUP,
                CommandRunner.safe(f[1], "volume group")));
        target.setup();
        return java.util.Optional.of(target);
    }

    /**
     * With device-mapper, Cinder's way: {@code lvconvert --merge} of the CoW snapshot into its origin (the
     * snapshot LV is consumed by the merge), the volume's LV deactivated and activated again so the merge takes
     * hold, then the snapshot made again so it stays; not tested here (these machines have no device-mapper).
     * With {@code lvm_activation = loop} the snapshot is a thick copy LV, so its blocks are copied back over the
     * volume's LV, every block (the volume's LV holds newer data: no zero skipping).
     */
    @Override
    public void revertToSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        String snap = snapshotLv(snapshot);
        if (!exists(snap)) {
            throw new VolumeDriverException("snapshot LV " + vg + "/" + snap + " does not exist");
        }
        if (!loopActivation) {
            CommandRunner.run(lvm("lvconvert", "--merge", vg + "/" + snap));
            CommandRunner.run(lvm("lvchange", "-an", vg + "/" + lvName(volume)));
            CommandRunner.run(lvm("lvchange", "-ay", vg + "/" + lvName(volume)));
            createSnapshot(snapshot, volume);
            return;
        }
        copyLv(snap, lvName(volume), snapshot.getVolumeSize() * GIB);
        LOG.info("Volume {}: LV {}/{} now holds the data of snapshot {} (thick copy back)", volume.getId(), vg,
                lvName(volume), snapshot.getId());
    }

    /** A new LV of the volume's size with the snapshot's bytes copied in (as Cinder, deleted LVs are cleared by volume_clear). */
    @Override
    public String createVolumeFromSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        String location = createVolume(volume);
        try {
            copyLv(snapshotLv(snapshot), lvName(volume), snapshot.getVolumeSize() * GIB);
        } catch (RuntimeException e) {
            removeQuietly(lvName(volume));
            throw e;
        }
        return location;
    }

    @Override
    public String createClonedVolume(VolumeEntity volume, VolumeEntity source) {
        String location = createVolume(volume);
        try {
            copyLv(lvName(source), lvName(volume), source.getSize() * GIB);
        } catch (RuntimeException e) {
            removeQuietly(lvName(volume));
            throw e;
        }
        return location;
    }

    private void removeQuietly(String lv) {
        try {
            detach(lv);
            CommandRunner.run(lvm("lvremove", "-f", vg + "/" + lv));
        } catch (RuntimeException ignored) {
            // the first error is the one to report
        }
    }

    /**
     * Cinder's LVM rule (§5 of the reference): same host, another existing VG, volume available → create the
     * LV there, copy, delete the source. Another host or driver → not moved (the generic path runs).
     */
    @Override
    public MoveResult migrateVolume(VolumeEntity volume, BackendHost destination, Map<String, Object> caps,
                                  CopyControl control) {
        return migrateVolume(volume, destination, caps, control, false);
    }

    @Override
    public String nativeMigrationRefusal(VolumeEntity volume, BackendHost destination, Map<String, Object> caps) {
        Object info = caps == null ? null : caps.get("location_info");
        if (!(info instanceof String location) || !location.startsWith(LOCATION_PREFIX)) {
            return "destination is not an LVM backend";
        }
        String[] f = location.substring(LOCATION_PREFIX.length()).split(":");
        if (f.length < 2 || !f[0].equals(config.host())) {
            return "destination LVM backend is on another host";
        }
        if (f[1].equals(vg)) {
            return "source and destination volume groups are the same (" + vg + ")";
        }
        if (volume.getStatus() != VolumeStatus.AVAILABLE && volume.getStatus() != VolumeStatus.MAINTENANCE) {
            return "volume is " + volume.getStatus();
        }
        return null;
    }

    /** With {@code keepSource} the source LV stays (deactivated from this host's copy), for the rollback window. */
    @Override
    public MoveResult migrateVolume(VolumeEntity volume, BackendHost destination, Map<String, Object> caps,
                                  CopyControl control, boolean keepSource) {
        Object info = caps == null ? null : caps.get("location_info");
        if (!(info instanceof String location) || !location.startsWith(LOCATION_PREFIX)) {
            return MoveResult.notMoved("destination is not an LVM backend");
        }
        String[] f = location.substring(LOCATION_PREFIX.length()).split(":");
        if (f.length < 2 || !f[0].equals(config.host())) {
            return MoveResult.notMoved("destination LVM backend is on another host");
        }
        String destVg = CommandRunner.safe(f[1], "volume group");
        if (destVg.equals(vg)) {
            throw new VolumeDriverException("source and destination volume groups are the same (" + vg + ")");
        }
        if (volume.getStatus() != VolumeStatus.AVAILABLE && volume.getStatus() != VolumeStatus.MAINTENANCE) {
            return MoveResult.notMoved("volume is " + volume.getStatus());
        }
        LvmVolumeDriver target = new LvmVolumeDriver(config, backend.with(LvmOptions.VOLUME_GROUP, destVg));
        target.setup();
        String location2 = target.createVolume(volume);
        try {
            Path src = Path.of(initializeConnection(volume).path());
            Path dst = Path.of(target.initializeConnection(volume).path());
            // A thick LV may hold old data: every block is copied (no zero skipping).
            new NativeCopyEngine(NativeCopyEngine.Settings.defaults()).copy(src, dst, volume.getSize() * GIB, false,
                    b -> { }, control);
            target.detach(lvName(volume));
        } catch (RuntimeException e) {
            target.deleteQuietly(volume);
            throw e;
        }
        if (keepSource) {
            detach(lvName(volume));
        } else {
            deleteVolume(volume);
        }
        return MoveResult.moved(location2);
    }

    /**
     * Cinder's LVM rule (reference §4.5): when the volume was available, the LV the migration created is
     * renamed to the volume's own name so its record needs no {@code _name_id}. An in-use volume keeps the
     * temporary name (the compute host holds the device by that path), and so does a failed rename: the
     * {@code _name_id} then points at it.
     */
    @Override
    public MigratedName updateMigratedVolume(VolumeEntity volume, VolumeEntity newVolume,
                                            VolumeStatus originalStatus) {
        if (originalStatus != VolumeStatus.AVAILABLE) {
            return MigratedName.KEPT;
        }
        String from = lvName(newVolume);
        String to = CommandRunner.safe("volume-" + volume.getId(), "logical volume");
        if (from.equals(to)) {
            return MigratedName.renamed("/dev/" + vg + "/" + to);
        }
        try {
            detach(from);
            CommandRunner.run(lvm("lvrename", vg, from, to));
        } catch (VolumeDriverException e) {
            LOG.warn("Volume {}: keeping LV {}/{} under its migration name ({}): {}", volume.getId(), vg, from,
                    to, e.getMessage());
            return MigratedName.KEPT;
        }
        LOG.info("Volume {}: renamed LV {}/{} to {} after its migration", volume.getId(), vg, from, to);
        return MigratedName.renamed("/dev/" + vg + "/" + to);
    }

    private void deleteQuietly(VolumeEntity volume) {
        try {
            detach(lvName(volume));
            CommandRunner.run(lvm("lvremove", "-f", vg + "/" + lvName(volume)));
        } catch (RuntimeException ignored) {
            // the copy's error is the one to report
        }
    }

    // ---------------------------------------------------------------------------------------- manage, unmanage

    private static final String SNAPSHOT_LV_PREFIX = "_snapshot-";

    /** One LV of the VG as lvs reports it. */
    private record Lv(String name, long bytes, String attr, String origin) {

        /** A CoW snapshot (lv_attr 's'), or one of this driver's thick snapshot copies (its escaped name). */
        boolean snapshot() {
            return attr.startsWith("s") || attr.startsWith("S") || name.startsWith(SNAPSHOT_LV_PREFIX);
        }

        /** lv_attr's sixth character: 'o' while a device holds the LV open. */
        boolean open() {
            return attr.length() > 5 && attr.charAt(5) == 'o';
        }

        int sizeGb() {
            return (int) Math.max(1, (bytes + GIB - 1) / GIB);
        }

        /** The name a record of this object has: snapshot LVs drop the escape underscore. */
        String recordName() {
            return name.startsWith(SNAPSHOT_LV_PREFIX) ? name.substring(1) : name;
        }
    }

    private List<Lv> lvs() {
        String out = CommandRunner.run(lvm("lvs", "--noheadings", "--units", "b", "--nosuffix", "--separator", "|",
                "-o", "lv_name,lv_size,lv_attr,origin", vg));
        List<Lv> list = new ArrayList<>();
        for (String line : out.lines().map(String::strip).filter(l -> !l.isEmpty()).toList()) {
            String[] f = line.split("\\|", -1);
            if (f.length >= 3) {
                list.add(new Lv(f[0], Long.parseLong(f[1]), f[2], f.length > 3 && !f[3].isBlank() ? f[3] : null));
            }
        }
        return list;
    }

    /** The LV {@code ref} names; Cinder's "Specified logical volume does not exist." otherwise. */
    private Lv existingLv(Map<String, Object> ref) {
        String name = org.openstack.jcinder.volume.driver.ManageReference.sourceName(ref);
        return lvs().stream().filter(lv -> lv.name().equals(name)).findFirst().orElseThrow(() ->
                org.openstack.jcinder.volume.driver.ManageReference.invalid(name,
                        "Specified logical volume does not exist."));
    }

    /** Cinder's manage_existing_object_get_size, refusing what a record manages or a device holds open. */
    private int sizeToManage(Map<String, Object> ref, Map<String, String> managedNames) {
        Lv lv = existingLv(ref);
        if (managedNames.containsKey(lv.recordName())) {
            throw org.openstack.jcinder.volume.driver.ManageReference.alreadyManaged(lv.name());
        }
        if (lv.open() || loops.containsKey(lv.name())) {
            throw org.openstack.jcinder.volume.driver.ManageReference.invalid(lv.name(),
                    "Specified logical volume is in use.");
        }
        return lv.sizeGb();
    }

    /** Cinder's LVM manage: {@code lvrename} to the record's name. */
    private String adopt(Map<String, Object> ref, String target) {
        Lv lv = existingLv(ref);
        CommandRunner.safe(target, "logical volume");
        if (!lv.name().equals(target)) {
            try {
                CommandRunner.run(lvm("lvrename", vg, lv.name(), target));
            } catch (VolumeDriverException e) {
                throw new VolumeDriverException("Failed to rename logical volume " + lv.name()
                        + ", error message was: " + e.getMessage(), e);
            }
        }
        LOG.info("Managed LV {}/{} as {}", vg, lv.name(), target);
        return "/dev/" + vg + "/" + target;
    }

    @Override
    public int manageExistingGetSize(VolumeEntity volume, Map<String, Object> ref, Map<String, String> managedNames) {
        return sizeToManage(ref, managedNames);
    }

    @Override
    public String manageExisting(VolumeEntity volume, Map<String, Object> ref) {
        return adopt(ref, lvName(volume));
    }

    /** The LV stays, under its name; only a loop mapping this driver made for it is released. */
    @Override
    public void unmanage(VolumeEntity volume) {
        detach(lvName(volume));
    }

    @Override
    public int manageExistingSnapshotGetSize(SnapshotEntity snapshot, Map<String, Object> ref,
                                             Map<String, String> managedNames) {
        return sizeToManage(ref, managedNames);
    }

    @Override
    public String manageExistingSnapshot(SnapshotEntity snapshot, Map<String, Object> ref) {
        return adopt(ref, snapshotLv(snapshot));
    }

    @Override
    public void unmanageSnapshot(SnapshotEntity snapshot) {
        detach(snapshotLv(snapshot));
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

    /** Cinder's _get_manageable_resource_info: every LV of the kind, managed or open ones not safe. */
    private List<org.openstack.jcinder.common.volume.ManageableEntry> manageable(Map<String, String> managedNames,
                                                                                  boolean snapshots) {
        List<org.openstack.jcinder.common.volume.ManageableEntry> out = new ArrayList<>();
        for (Lv lv : lvs()) {
            if (lv.snapshot() != snapshots) {
                continue;
            }
            String cinderId = managedNames.get(lv.recordName());
            String reason = cinderId != null ? "already managed"
                    : lv.open() || loops.containsKey(lv.name()) ? (snapshots ? "snapshot" : "volume") + " in use"
                    : null;
            Map<String, Object> source = null;
            if (snapshots) {
                source = new java.util.HashMap<>();
                source.put("source-name", lv.origin());
            }
            out.add(new org.openstack.jcinder.common.volume.ManageableEntry(Map.of("source-name", lv.name()),
                    lv.sizeGb(), reason == null, reason, cinderId, null, source));
        }
        return out;
    }

    @Override
    public BackendCapabilities stats() {
        String[] v = CommandRunner.run(lvm("vgs", "--noheadings", "--units", "b", "--nosuffix", "-o",
                "vg_size,vg_free", vg)).strip().split("\\s+");
        double total = Long.parseLong(v[0]) / (double) GIB;
        double free = Long.parseLong(v[1]) / (double) GIB;
        PoolCapabilities pool = new PoolCapabilities(backend.volumeBackendName(), round(total), round(free),
                round(total - free), round(total - free), reservedPercentage, false, true, 1.0, false,
                LOCATION_PREFIX + config.host() + ":" + vg + ":" + lvmType + ":" + mirrors);
        return new BackendCapabilities(config.host() + "@" + backend.name(), backend.volumeBackendName(),
                "Open Source", "3.0.0", "iSCSI", config.storageAvailabilityZone(),
                LocalDateTime.now(ZoneOffset.UTC).toString(), true, null, List.of(pool));
    }

    private static double round(double gb) {
        return Math.round(gb * 100) / 100.0;
    }
}
