package org.openstack.jcinder.common.volume;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * Which way a migration attempt moved (or is moving) the volume: the {@code path} of a {@code volume_migrations}
 * record and of {@code os-vol-mig-status-attr:progress}. This project's vocabulary; Cinder keeps no such record.
 */
public enum MigrationPath implements WireValue {
    /** The driver moved the volume itself (same host, another directory or volume group). */
    DRIVER("driver"),
    /** Cinder's generic migration: a temporary volume on the destination and a copy through this host. */
    GENERIC("generic"),
    /** An attached volume: the compute service swaps it under the running server and copies it. */
    ATTACHED("attached");

    private final String wire;

    MigrationPath(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    public static Optional<MigrationPath> fromWire(String value) {
        return WireValue.find(MigrationPath.class, value);
    }

    @JsonCreator
    public static MigrationPath parse(String value) {
        return WireValue.parse(MigrationPath.class, value);
    }

    @Override
    public String toString() {
        return wire;
    }
}
