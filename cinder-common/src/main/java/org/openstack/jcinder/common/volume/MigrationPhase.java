package org.openstack.jcinder.common.volume;

import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * Where a migration attempt is: the {@code state} column of a {@code volume_migrations} record, shown as
 * {@code phase} in {@code os-vol-mig-status-attr:progress}. This project's vocabulary; finer than the volume's
 * {@link MigrationStatus}, which stays {@code migrating} through most of these.
 */
public enum MigrationPhase implements WireValue {
    /**
     * Waiting for a slot under its backend's or host's {@code max_concurrent_migrations}; the volume shows
     * {@code migrating} meanwhile (Cinder has no such state).
     */
    QUEUED("queued"),
    /** The record exists; no path has been chosen yet, or the driver is trying. */
    MIGRATING("migrating"),
    /** The temporary volume is being created on the destination. */
    CREATING_DESTINATION("creating-destination"),
    /** This host copies the data (generic path). */
    COPYING("copying"),
    /** The copy is done; the rows are being swapped. */
    COMPLETING("completing"),
    /** The compute service was asked to swap an attached volume and has not reported yet. */
    WAITING_FOR_COMPUTE("waiting-for-compute"),
    /** The compute service reports its block copy's progress. */
    COMPUTE_COPYING("compute-copying"),
    SUCCESS("success"),
    ERROR("error");

    private final String wire;

    MigrationPhase(String wire) {
        this.wire = wire;
    }

    @Override
    public String wire() {
        return wire;
    }

    /** The copy runs in the compute service, not in a volume service: requests for it are relayed there. */
    public boolean inComputeService() {
        return this == WAITING_FOR_COMPUTE || this == COMPUTE_COPYING;
    }

    public static Optional<MigrationPhase> fromWire(String value) {
        return WireValue.find(MigrationPhase.class, value);
    }

    @JsonCreator
    public static MigrationPhase parse(String value) {
        return WireValue.parse(MigrationPhase.class, value);
    }

    @Override
    public String toString() {
        return wire;
    }
}
