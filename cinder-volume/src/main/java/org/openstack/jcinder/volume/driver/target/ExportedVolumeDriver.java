package org.openstack.jcinder.volume.driver.target;

import java.util.Map;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.db.SnapshotEntity;
import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.BackendHost;
import org.openstack.jcinder.common.volume.ConnectionInfo;
import org.openstack.jcinder.common.volume.MigratedName;
import org.openstack.jcinder.common.volume.VolumeStatus;
import org.openstack.jcinder.volume.copy.CopyControl;
import org.openstack.jcinder.volume.driver.VolumeDriver;

/**
 * A driver whose connections are exports: {@code initialize_connection} attaches the volume on this host
 * through the driver, then exports it through the backend's target helper; {@code terminate_connection} and a
 * delete remove the export before the driver releases the device (tgtd holds it open). Everything else is the
 * driver's. The volume service hands this to the RPC endpoint only; a migration's own source stays attached
 * locally (the copy runs on this host), so a volume is never exported to itself.
 */
public final class ExportedVolumeDriver implements VolumeDriver {

    private final VolumeDriver driver;
    private final VolumeTarget target;

    public ExportedVolumeDriver(VolumeDriver driver, VolumeTarget target) {
        this.driver = driver;
        this.target = target;
    }

    public VolumeTarget target() {
        return target;
    }

    @Override
    public void setup() {
        driver.setup();
        target.setup();
    }

    @Override
    public String createVolume(VolumeEntity volume) {
        return driver.createVolume(volume);
    }

    @Override
    public void deleteVolume(VolumeEntity volume) {
        target.removeExport(volume);
        driver.deleteVolume(volume);
    }

    @Override
    public void extendVolume(VolumeEntity volume, int newSizeGb) {
        driver.extendVolume(volume, newSizeGb);
    }

    @Override
    public String createSnapshot(SnapshotEntity snapshot, VolumeEntity volume) {
        return driver.createSnapshot(snapshot, volume);
    }

    @Override
    public String createVolumeFromSnapshot(VolumeEntity volume, SnapshotEntity snapshot) {
        return driver.createVolumeFromSnapshot(volume, snapshot);
    }

    @Override
    public String createClonedVolume(VolumeEntity volume, VolumeEntity source) {
        return driver.createClonedVolume(volume, source);
    }

    @Override
    public void deleteSnapshot(SnapshotEntity snapshot) {
        driver.deleteSnapshot(snapshot);
    }

    @Override
    public BackendCapabilities stats() {
        return driver.stats();
    }

    @Override
    public MoveResult migrateVolume(VolumeEntity volume, BackendHost destination,
                                    Map<String, Object> destinationCapabilities, CopyControl control) {
        return driver.migrateVolume(volume, destination, destinationCapabilities, control);
    }

    @Override
    public ConnectionInfo initializeConnection(VolumeEntity volume) {
        ConnectionInfo local = driver.initializeConnection(volume);
        try {
            return target.export(volume, local);
        } catch (RuntimeException e) {
            driver.terminateConnection(volume);
            throw e;
        }
    }

    @Override
    public void terminateConnection(VolumeEntity volume) {
        target.removeExport(volume);
        driver.terminateConnection(volume);
    }

    @Override
    public MigratedName updateMigratedVolume(VolumeEntity volume, VolumeEntity newVolume,
                                             VolumeStatus originalStatus) {
        // The new object may be renamed: its export (named after it) must not outlive the old name.
        target.removeExport(newVolume);
        return driver.updateMigratedVolume(volume, newVolume, originalStatus);
    }

    @Override
    public boolean newVolumesReadAsZeros() {
        return driver.newVolumesReadAsZeros();
    }
}
