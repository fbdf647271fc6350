package org.openstack.jcinder.compute.instance;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A server on this compute host: what the API shows, and its block device mappings. State changes happen under
 * {@link #lock()} — the compute manager serialises operations per instance, as Nova does — while views read
 * the volatile fields without it.
 */
public final class Instance {

    public enum VmState {
        BUILDING("BUILD"), ACTIVE("ACTIVE"), ERROR("ERROR"), DELETED("DELETED");

        private final String status;

        VmState(String status) {
            this.status = status;
        }

        /** The API's {@code status}. */
        public String status() {
            return status;
        }

        /** {@code OS-EXT-STS:vm_state}. */
        public String apiName() {
            return name().toLowerCase();
        }
    }

    private final String uuid;
    private final String name;
    private final String projectId;
    private final String userId;
    private final String flavorRef;
    private final String imageRef;
    private final Map<String, String> metadata;
    private final Instant created;
    private final ReentrantLock lock = new ReentrantLock();
    private final List<BlockDeviceMapping> volumes = new CopyOnWriteArrayList<>();
    private volatile VmState vmState = VmState.BUILDING;
    private volatile String taskState = "spawning";
    private volatile String fault;
    private volatile Instant updated;

    public Instance(String uuid, String name, String projectId, String userId, String flavorRef, String imageRef,
                    Map<String, String> metadata, Instant created) {
        this.uuid = uuid;
        this.name = name;
        this.projectId = projectId;
        this.userId = userId;
        this.flavorRef = flavorRef;
        this.imageRef = imageRef;
        this.metadata = Map.copyOf(metadata);
        this.created = created;
        this.updated = created;
    }

    public String uuid() {
        return uuid;
    }

    public String name() {
        return name;
    }

    public String projectId() {
        return projectId;
    }

    public String userId() {
        return userId;
    }

    public String flavorRef() {
        return flavorRef;
    }

    public String imageRef() {
        return imageRef;
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    public Instant created() {
        return created;
    }

    public Instant updated() {
        return updated;
    }

    public VmState vmState() {
        return vmState;
    }

    public String taskState() {
        return taskState;
    }

    public String fault() {
        return fault;
    }

    public ReentrantLock lock() {
        return lock;
    }

    public void setState(VmState state, String task, String faultMessage) {
        this.vmState = state;
        this.taskState = task;
        this.fault = faultMessage;
        this.updated = Instant.now();
    }

    public void setTaskState(String task) {
        this.taskState = task;
        this.updated = Instant.now();
    }

    public List<BlockDeviceMapping> volumes() {
        return List.copyOf(volumes);
    }

    public Optional<BlockDeviceMapping> volume(String volumeId) {
        return volumes.stream().filter(b -> b.volumeId().equals(volumeId)).findFirst();
    }

    public void addVolume(BlockDeviceMapping bdm) {
        volumes.add(bdm);
        updated = Instant.now();
    }

    public void removeVolume(String volumeId) {
        volumes.removeIf(b -> b.volumeId().equals(volumeId));
        updated = Instant.now();
    }

    /** After a swap: the mapping that pointed at {@code oldVolumeId} now carries {@code replacement}. */
    public void replaceVolume(String oldVolumeId, BlockDeviceMapping replacement) {
        volumes.replaceAll(b -> b.volumeId().equals(oldVolumeId) ? replacement : b);
        updated = Instant.now();
    }
}
