package org.openstack.jcinder.common.volume;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A volume's {@code status} (and {@code previous_status}), spelled on the wire and in the database exactly as
 * Cinder spells it.
 */
public enum VolumeStatus implements WireValue {
    CREATING("creating"),
    AVAILABLE("available"),
    DELETING("deleting"),
    ERROR("error"),
    ERROR_DELETING("error_deleting"),
    IN_USE("in-use"),
    ATTACHING("attaching"),
    DETACHING("detaching"),
    RESERVED("reserved"),
    MAINTENANCE("maintenance"),
    /** Offered to another project (a volume transfer); back to available when accepted or withdrawn. */
    AWAITING_TRANSFER("awaiting-transfer"),
    EXTENDING("extending"),
    ERROR_EXTENDING("error_extending"),
    RETYPING("retyping"),
    ERROR_RESTORING("error_restoring"),
    /** Cinder's manage_existing: the row exists, the backend adopts the object (then available or error_managing). */
    MANAGING("managing"),
    ERROR_MANAGING("error_managing"),
    /** Being reverted to its latest snapshot (3.40); back to available, or error if the backend failed. */
    REVERTING("reverting"),
    /** os-unmanage: the row goes, the backend object stays (error_unmanaging when the backend fails). */
    UNMANAGING("unmanaging"),
    ERROR_UNMANAGING("error_unmanaging"),
    DELETED("deleted");

    private final String wire;

    VolumeStatus(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** For input that may be anything (a filter, a request body): empty when Cinder has no such status. */
    public static Optional<VolumeStatus> fromWire(String value) {
        return WireValue.find(VolumeStatus.class, value);
    }

    @JsonCreator
    public static VolumeStatus parse(String value) {
        return WireValue.parse(VolumeStatus.class, value);
    }

    @Override
    public String toString() {
        return wire;
    }
}
