package org.openstack.jcinder.volume.manage;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

import org.openstack.jcinder.common.db.Clock;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.SnapshotRepository;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.db.VolumeRepository;
import org.openstack.jcinder.common.exception.VolumeDriverException;
import org.openstack.jcinder.common.quota.SnapshotQuotas;
import org.openstack.jcinder.common.quota.VolumeQuotas;
import org.openstack.jcinder.common.rpc.RpcDispatcher;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.ManageExisting;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.ManageExistingSnapshot;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.ManageableList;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.SnapshotRef;
import org.openstack.jcinder.common.rpc.volume.VolumeRpcApi.VolumeRef;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.shared.context.RequestContext;
import org.openstack.jcinder.volume.driver.VolumeDriver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A backend's side of Cinder's manage and unmanage (its manage_existing flows): the driver sizes and checks the
 * object, the size's quota is reserved, the driver adopts (renames) the object, then the row becomes available
 * with the reservation committed, each step compare-and-set; a failure leaves the object as it was and the row
 * in {@code error_managing} (volumes) or {@code error} (snapshots) with the reason. Unmanage forgets the row
 * (its quota given back) and leaves the object on the backend.
 */
public class ManageTasks {

    private static final Logger LOG = LoggerFactory.getLogger(ManageTasks.class);

    private final String serviceHost;
    private final VolumeDriver driver;
    private final VolumeRepository volumes;
    private final SnapshotRepository snapshots;
    private final VolumeQuotas volumeQuotas;
    private final SnapshotQuotas snapshotQuotas;
    private final BooleanSupplier ready;

    public ManageTasks(String serviceHost, VolumeDriver driver, VolumeRepository volumes, SnapshotRepository snapshots,
                       VolumeQuotas volumeQuotas, SnapshotQuotas snapshotQuotas, BooleanSupplier ready) {
        this.serviceHost = serviceHost;
        this.driver = driver;
        this.volumes = volumes;
        this.snapshots = snapshots;
        this.volumeQuotas = volumeQuotas;
        this.snapshotQuotas = snapshotQuotas;
        this.ready = ready;
    }

    /** Adds this backend's manage messages to its dispatcher. */
    public RpcDispatcher registerOn(RpcDispatcher dispatcher) {
        return dispatcher.register(VolumeRpcApi.MANAGE_EXISTING, ManageExisting.class, this::manageVolume)
                .register(VolumeRpcApi.MANAGE_EXISTING_SNAPSHOT, ManageExistingSnapshot.class, this::manageSnapshot)
                .register(VolumeRpcApi.UNMANAGE_VOLUME, VolumeRef.class, this::unmanageVolume)
                .register(VolumeRpcApi.UNMANAGE_SNAPSHOT, SnapshotRef.class, this::unmanageSnapshot)
                .register(VolumeRpcApi.GET_MANAGEABLE_VOLUMES, VolumeRpcApi.NoArgs.class,
                        (ctx, none) -> new ManageableList(driver.manageableVolumes(managedNames())))
                .register(VolumeRpcApi.GET_MANAGEABLE_SNAPSHOTS, VolumeRpcApi.NoArgs.class,
                        (ctx, none) -> new ManageableList(driver.manageableSnapshots(managedNames())));
    }

    /**
     * The backend names of this backend's records (volumes and their snapshots) and their ids: an object with
     * one of these names is already managed.
     */
    Map<String, String> managedNames() {
        Map<String, String> names = new HashMap<>();
        for (VolumeEntity v : volumes.liveOnBackend(serviceHost, serviceHost + "#%")) {
            names.put(v.backendName(), v.getId());
        }
        for (SnapshotEntity s : snapshots.findByDeletedFalseOrderByCreatedAtDescIdDesc()) {
            names.put(s.backendName(), s.getId());
        }
        return names;
    }

    Object manageVolume(RequestContext ctx, ManageExisting req) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(req.volumeId()).orElse(null);
        if (volume == null || volume.getStatus() != VolumeStatus.MANAGING) {
            LOG.warn("manage_existing: volume {} is gone or no longer managing; nothing to do", req.volumeId());
            return null;
        }
        LOG.info("Managing {} as volume {} on {}", req.ref(), volume.getId(), serviceHost);
        int reserved = 0;
        try {
            requireReady();
            int size = driver.manageExistingGetSize(volume, req.ref(), managedNames());
            volumeQuotas.reserveManaged(volume, size);
            reserved = size;
            volume.setSize(size);
            String location = driver.manageExisting(volume, req.ref());
            if (!volumeQuotas.finishManage(volume.getId(), size, location)) {
                LOG.warn("Volume {} changed state while it was managed; leaving it as it is", volume.getId());
            } else {
                LOG.info("Managed volume {} ({} GiB) on {} at {}", volume.getId(), size, serviceHost, location);
            }
        } catch (RuntimeException e) {
            LOG.error("Failed to manage {} as volume {} on {}: {}", req.ref(), volume.getId(), serviceHost,
                    e.getMessage());
            volumeQuotas.failManage(volume.getId(), reserved, truncate(e.getMessage()));
        }
        return null;
    }

    Object manageSnapshot(RequestContext ctx, ManageExistingSnapshot req) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(req.snapshotId()).orElse(null);
        if (s == null || !"creating".equals(s.getStatus())) {
            LOG.warn("manage_existing_snapshot: snapshot {} is gone or no longer creating; nothing to do",
                    req.snapshotId());
            return null;
        }
        LOG.info("Managing {} as snapshot {} of volume {} on {}", req.ref(), s.getId(), s.getVolumeId(), serviceHost);
        int reservedIncrease = 0;
        try {
            requireReady();
            int size = driver.manageExistingSnapshotGetSize(s, req.ref(), managedNames());
            snapshotQuotas.reserveManaged(s, size);
            reservedIncrease = Math.max(0, size - s.getVolumeSize());
            s.setVolumeSize(size);
            String location = driver.manageExistingSnapshot(s, req.ref());
            if (!snapshotQuotas.finishManage(s.getId(), size, location)) {
                LOG.warn("Snapshot {} changed state while it was managed; leaving it as it is", s.getId());
            } else {
                LOG.info("Managed snapshot {} ({} GiB) on {} at {}", s.getId(), size, serviceHost, location);
            }
        } catch (RuntimeException e) {
            LOG.error("Failed to manage {} as snapshot {} on {}: {}", req.ref(), s.getId(), serviceHost,
                    e.getMessage());
            snapshotQuotas.failManage(s.getId(), reservedIncrease);
        }
        return null;
    }

    /** Cinder's delete_volume with unmanage_only: the driver lets go, the row is deleted, its quota given back. */
    Object unmanageVolume(RequestContext ctx, VolumeRef ref) {
        VolumeEntity volume = volumes.findByIdAndDeletedFalse(ref.volumeId()).orElse(null);
        if (volume == null || volume.getStatus() != VolumeStatus.UNMANAGING) {
            LOG.warn("unmanage_volume: volume {} is gone or not unmanaging; nothing to do", ref.volumeId());
            return null;
        }
        LOG.info("Unmanaging volume {} on {} (its object {} stays)", volume.getId(), serviceHost,
                volume.backendName());
        try {
            requireReady();
            driver.unmanage(volume);
            volumeQuotas.softDelete(volume.getId());
            LOG.info("Unmanaged volume {} on {}", volume.getId(), serviceHost);
        } catch (RuntimeException e) {
            LOG.error("Failed to unmanage volume {} on {}: {}", volume.getId(), serviceHost, e.getMessage());
            volumes.compareAndSetStatusWithReason(volume.getId(), List.of(VolumeStatus.UNMANAGING),
                    VolumeStatus.ERROR_UNMANAGING, truncate(e.getMessage()), Clock.now());
        }
        return null;
    }

    Object unmanageSnapshot(RequestContext ctx, SnapshotRef ref) {
        SnapshotEntity s = snapshots.findByIdAndDeletedFalse(ref.snapshotId()).orElse(null);
        if (s == null || !"unmanaging".equals(s.getStatus())) {
            LOG.warn("unmanage_snapshot: snapshot {} is gone or not unmanaging; nothing to do", ref.snapshotId());
            return null;
        }
        LOG.info("Unmanaging snapshot {} on {} (its object stays)", s.getId(), serviceHost);
        try {
            requireReady();
            driver.unmanageSnapshot(s);
            snapshotQuotas.softDelete(s.getId());
            LOG.info("Unmanaged snapshot {} on {}", s.getId(), serviceHost);
        } catch (RuntimeException e) {
            LOG.error("Failed to unmanage snapshot {} on {}: {}", s.getId(), serviceHost, e.getMessage());
            snapshots.compareAndSetStatus(s.getId(), List.of("unmanaging"), "error_unmanaging", Clock.now());
        }
        return null;
    }

    private void requireReady() {
        if (!ready.getAsBoolean()) {
            throw new VolumeDriverException("Volume driver " + driver.getClass().getSimpleName()
                    + " not initialized.");
        }
    }

    private static String truncate(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
