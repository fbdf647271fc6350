package org.openstack.jcinder.volume.driver;

import org.openstack.jcinder.common.capability.BackendCapabilities;
import org.openstack.jcinder.common.db.VolumeEntity;

/**
 * One storage backend. The manager owns the volume's state; a driver only touches storage, and says what it
 * did through return values and {@link org.openstack.jcinder.common.exception.VolumeDriverException}.
 */
public interface VolumeDriver {

    /**
     * Checks that the storage is there and usable. Throws with a reason an operator can act on; the backend
     * then reports itself down and refuses work, while the other backends of the service keep working.
     */
    void setup();

    /** Creates the backing object of {@code volume.backendName()}; returns the provider location. */
    String createVolume(VolumeEntity volume);

    /** Deletes the backing object; a missing object is not an error (delete must be repeatable). */
    void deleteVolume(VolumeEntity volume);

    /** The capability report: pools, capacities, protocol, location info. */
    BackendCapabilities stats();
}
