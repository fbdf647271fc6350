package org.openstack.jcinder.volume.driver.target;

import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.ConnectionInfo;

/** {@code target_helper = local}: no export; the volume is reached on the backend's host through its path. */
public final class LocalTarget implements VolumeTarget {

    @Override
    public void setup() {
    }

    @Override
    public ConnectionInfo export(VolumeEntity volume, ConnectionInfo local) {
        return local;
    }

    @Override
    public void removeExport(VolumeEntity volume) {
    }
}
