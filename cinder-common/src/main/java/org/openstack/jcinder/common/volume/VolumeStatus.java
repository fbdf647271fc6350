package org.openstack.jcinder.common.volume;

import java.util.Arrays;
import java.util.Optional;

/** A volume's {@code status}, spelled on the wire and in the database exactly as Cinder spells it. */
public enum VolumeStatus {
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
    EXTENDING("extending"),
    ERROR_EXTENDING("error_extending"),
    RETYPING("retyping"),
    ERROR_RESTORING("error_restoring"),
    ERROR_MANAGING("error_managing"),
    DELETED("deleted");

    private final String wire;

    VolumeStatus(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Optional<VolumeStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }

    @Override
    public String toString() {
        return wire;
    }
}
