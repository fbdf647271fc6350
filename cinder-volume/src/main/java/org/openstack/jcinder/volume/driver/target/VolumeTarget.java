package org.openstack.jcinder.volume.driver.target;

import java.time.Instant;
import java.util.List;

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

    /**
     * One export present on this node: the exported volume's backend name ({@code volume-…}) and when its export
     * file was written (null: a target without a file, left by a crash between the two steps of an export).
     */
    record Export(String name, Instant written) {
    }

    /** The exports present now, whoever made them (this process or an earlier life of it); none for local. */
    default List<Export> exports() {
        return List.of();
    }

    /** Removes the export named {@code name} when no volume row is at hand (repeatable). */
    default void removeExport(String name) {
    }
}
