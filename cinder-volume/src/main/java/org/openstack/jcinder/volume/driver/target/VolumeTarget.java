package org.openstack.jcinder.volume.driver.target;

import org.openstack.jcinder.common.db.VolumeEntity;
import org.openstack.jcinder.common.volume.ConnectionInfo;

/**
 * A backend's target helper (Cinder's {@code cinder/volume/targets}): turns a volume reachable on this host
 * into one other hosts can reach, and takes that away again.
 */
public interface VolumeTarget {

    /** Checks that the target daemon answers; throws with a reason an operator can act on. */
    void setup();

    /** Exports {@code volume}, whose data is at {@code local} on this host; answers how initiators reach it. */
    ConnectionInfo export(VolumeEntity volume, ConnectionInfo local);

    /** Removes the export of {@code volume}; a volume that is not exported is not an error (repeatable). */
    void removeExport(VolumeEntity volume);
}
