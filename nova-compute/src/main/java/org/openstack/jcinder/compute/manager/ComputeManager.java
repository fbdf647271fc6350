package org.openstack.jcinder.compute.manager;

import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.openstack.jcinder.shared.context.ContextHolder;
import org.openstack.jcinder.compute.context.CallerContext;
import org.openstack.jcinder.compute.exception.NovaException;
import org.openstack.jcinder.compute.cinder.CinderClient;
import org.openstack.jcinder.compute.cinder.CinderClient.Connection;
import org.openstack.jcinder.compute.config.NovaConfig;
import org.openstack.jcinder.compute.instance.BlockDeviceMapping;
import org.openstack.jcinder.compute.instance.Instance;
import org.openstack.jcinder.compute.instance.Instance.VmState;
import org.openstack.jcinder.compute.instance.InstanceStore;
import org.openstack.jcinder.compute.virt.Disk;
import org.openstack.jcinder.compute.virt.HypervisorDriver;
import org.openstack.jcinder.compute.virt.IscsiTarget;
import org.openstack.jcinder.compute.virt.HypervisorDriver.DomainSpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.stereotype.Service;

/**
 * Nova's compute manager for one host: builds and deletes servers and plugs volumes in and out, talking to
 * Cinder for the attachment records and to the hypervisor driver for the domain. Operations on one instance
 * run one at a time (its lock); a caller that would wait behind a long one (a volume swap) is told so.
 */
@Service
public class ComputeManager implements DisposableBean {

    private static final Logger LOG = LoggerFactory.getLogger(ComputeManager.class);
    private static final long BUSY_WAIT_MS = 2_000;

    private final NovaConfig config;
    private final HypervisorDriver driver;
    private final CinderClient cinder;
    private final InstanceStore instances;
    private final ExecutorService workers;

    public ComputeManager(NovaConfig config, HypervisorDriver driver, CinderClient cinder, InstanceStore instances) {
        this.config = config;
        this.driver = driver;
        this.cinder = cinder;
        this.instances = instances;
        AtomicInteger n = new AtomicInteger();
        this.workers = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "compute-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public Instance createServer(CallerContext ctx, String name, String flavorRef, String imageRef,
                                 Map<String, String> metadata, int memoryMb) {
        Instance instance = new Instance(UUID.randomUUID().toString(), name, ctx.request().projectId(),
                ctx.request().userId(), flavorRef, imageRef, metadata, Instant.now());
        instances.add(instance);
        LOG.info("Building server {} ({}) on {}", instance.uuid(), name, config.host());
        submit(ctx, () -> spawn(ctx, instance, memoryMb));
        return instance;
    }

    private void spawn(CallerContext ctx, Instance instance, int memoryMb) {
        instance.lock().lock();
        try {
            driver.spawn(new DomainSpec(instance.uuid(), "instance-" + instance.uuid(), memoryMb, 1));
            instance.setState(VmState.ACTIVE, null, null);
            LOG.info("Server {} is ACTIVE", instance.uuid());
        } catch (RuntimeException e) {
            instance.setState(VmState.ERROR, null, e.getMessage());
            LOG.error("Server {} failed to build: {}", instance.uuid(), e.getMessage());
        } finally {
            instance.lock().unlock();
        }
    }

    /** Deletes the server: its domain, then its Cinder attachments (the volumes become available again). */
    public void deleteServer(CallerContext ctx, Instance instance) {
        runLocked(instance, "delete", () -> {
            driver.destroy(instance.uuid());
            for (BlockDeviceMapping bdm : instance.volumes()) {
                try {
                    cinder.attachmentDelete(ctx, bdm.attachmentId());
                } catch (RuntimeException e) {
                    LOG.warn("Server {} deleted, but Cinder did not delete attachment {} of volume {}: {}",
                            instance.uuid(), bdm.attachmentId(), bdm.volumeId(), e.getMessage());
                }
            }
            instance.setState(VmState.DELETED, null, null);
            instances.remove(instance.uuid());
            LOG.info("Server {} deleted", instance.uuid());
            return null;
        });
    }

    /**
     * Attaches a volume: Cinder reserves it, this host connects it, the domain gets it as the next free
     * {@code vdX}, Cinder marks it attached. Any failure undoes the earlier steps.
     */
    public BlockDeviceMapping attachVolume(CallerContext ctx, Instance instance, String volumeId, String tag,
                                           boolean deleteOnTermination) {
        return runLocked(instance, "attach", () -> {
            requireActive(instance, "attach_volume");
            if (instance.volume(volumeId).isPresent()) {
                throw NovaException.badRequest("Invalid volume: volume " + volumeId + " is already attached to "
                        + "instance " + instance.uuid());
            }
            cinder.volume(ctx, volumeId);
            String device = "/dev/" + nextTarget(instance);
            String attachmentId = cinder.attachmentCreate(ctx, volumeId, instance.uuid());
            boolean plugged = false;
            try {
                Connection conn = cinder.attachmentUpdate(ctx, attachmentId, config.host(), device);
                BlockDeviceMapping bdm = new BlockDeviceMapping(UUID.randomUUID().toString(), volumeId,
                        attachmentId, device, tag, deleteOnTermination);
                driver.attachDisk(instance.uuid(), disk(bdm.target(), conn, volumeId));
                plugged = true;
                cinder.attachmentComplete(ctx, attachmentId);
                instance.addVolume(bdm);
                LOG.info("Volume {} attached to server {} as {}", volumeId, instance.uuid(),
                        device);
                return bdm;
            } catch (RuntimeException e) {
                LOG.warn("Attaching volume {} to server {} failed, undoing: {}", volumeId,
                        instance.uuid(), e.getMessage());
                if (plugged) {
                    driver.detachDisk(instance.uuid(), device.substring(5));
                }
                quietly(() -> cinder.attachmentDelete(ctx, attachmentId));
                throw e;
            }
        });
    }

    public void detachVolume(CallerContext ctx, Instance instance, BlockDeviceMapping bdm) {
        runLocked(instance, "detach", () -> {
            driver.detachDisk(instance.uuid(), bdm.target());
            cinder.attachmentDelete(ctx, bdm.attachmentId());
            instance.removeVolume(bdm.volumeId());
            LOG.info("Volume {} detached from server {}", bdm.volumeId(), instance.uuid());
            return null;
        });
    }

    /**
     * Nova's {@code extend_volume} for a {@code volume-extended} event: the volume's new size from Cinder, then
     * the hypervisor makes the guest see it. Runs after the API has answered, under the instance's lock.
     */
    public void volumeExtended(CallerContext ctx, Instance instance, BlockDeviceMapping bdm) {
        submit(ctx, () -> {
            instance.lock().lock();
            try {
                long bytes = (long) cinder.volume(ctx, bdm.volumeId()).sizeGb() << 30;
                driver.resizeDisk(instance.uuid(), bdm.target(), bytes);
                LOG.info("Server {} now sees volume {} ({}) as {} GiB", instance.uuid(), bdm.volumeId(),
                        bdm.device(), bytes >> 30);
            } catch (RuntimeException e) {
                LOG.error("Server {}: volume {} was extended but the guest could not be given the new size: {}",
                        instance.uuid(), bdm.volumeId(), e.getMessage());
            } finally {
                instance.lock().unlock();
            }
        });
    }

    /**
     * Runs work the API has already answered for (202) on a worker thread, under the request's context so its
     * log lines carry the request id.
     */
    public void submit(CallerContext ctx, Runnable work) {
        workers.submit(() -> {
            ContextHolder.set(ctx.request());
            try {
                work.run();
            } catch (RuntimeException e) {
                LOG.error("Compute task failed", e);
            } finally {
                ContextHolder.clear();
            }
        });
    }

    /** Short work off the caller's thread (progress reports), on the compute workers. */
    void execute(Runnable task) {
        workers.execute(task);
    }

    static Disk disk(String target, Connection conn, String volumeId) {
        if (conn.iscsi() != null) {
            CinderClient.Iscsi i = conn.iscsi();
            try {
                return Disk.iscsi(target, IscsiTarget.of(i.targetPortal(), i.targetIqn(), i.targetLun(),
                        i.authMethod(), i.authUsername(), i.authPassword()), volumeId);
            } catch (IllegalArgumentException e) {
                throw NovaException.badRequest("Volume " + volumeId + ": unusable iSCSI connection_info ("
                        + e.getMessage() + ")");
            }
        }
        if (conn.devicePath() == null || conn.devicePath().isBlank()) {
            throw NovaException.badRequest("Volume " + volumeId + ": driver_volume_type " + conn.driverVolumeType()
                    + " is not supported on this host (connection_info has no device_path)");
        }
        return new Disk(target, Path.of(conn.devicePath()), conn.blockDevice(), volumeId);
    }

    static void requireActive(Instance instance, String action) {
        if (instance.vmState() != VmState.ACTIVE) {
            throw NovaException.conflict("Cannot '" + action + "' instance " + instance.uuid()
                    + " while it is in vm_state " + instance.vmState().apiName());
        }
    }

    private static String nextTarget(Instance instance) {
        for (char c = 'b'; c <= 'z'; c++) {
            String t = "vd" + c;
            if (instance.volumes().stream().noneMatch(b -> b.target().equals(t))) {
                return t;
            }
        }
        throw NovaException.badRequest("Instance " + instance.uuid() + " has no free disk slot (vdb..vdz)");
    }

    <T> T runLocked(Instance instance, String what, java.util.function.Supplier<T> work) {
        try {
            if (!instance.lock().tryLock(BUSY_WAIT_MS, TimeUnit.MILLISECONDS)) {
                throw NovaException.conflict("Cannot '" + what + "' instance " + instance.uuid() + " while another "
                        + "operation (" + instance.taskState() + ") is in progress");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw NovaException.conflict("interrupted");
        }
        try {
            return work.get();
        } finally {
            instance.lock().unlock();
        }
    }

    static void quietly(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.warn("Clean-up step failed: {}", e.getMessage());
        }
    }

    @Override
    public void destroy() throws InterruptedException {
        workers.shutdownNow();
        workers.awaitTermination(30, TimeUnit.SECONDS);
    }
}
