package org.openstack.jcinder.common.volume;

import java.util.List;
import java.util.Optional;

import com.fasterxml.jackson.annotation.JsonCreator;

/**
 * A volume's {@code migration_status} ({@code null}: never migrated, or reset to {@code none}).
 *
 * <p>One column holds two kinds of value: the steps of a migration, Cinder's fixed words ({@link Standard}),
 * and on the temporary volume of a host-copy or attached migration {@code target:<source id>} ({@link Target}).
 * A sealed interface over an enum and a record keeps both in one typed field: code asks
 * {@code instanceof Target t} and reads {@code t.sourceId()}, or compares with {@code target(id)}, instead of
 * building and cutting {@code "target:"} strings; only {@link Target} knows the prefix. An enum with a separate
 * source-id field was the alternative: it would have needed a second column (a schema change) or an entity
 * field that is half of a column, and nothing would stop a {@code TARGET} without an id.
 */
public sealed interface MigrationStatus extends WireValue permits MigrationStatus.Standard, MigrationStatus.Target {

    Standard STARTING = Standard.STARTING;
    Standard MIGRATING = Standard.MIGRATING;
    Standard COMPLETING = Standard.COMPLETING;
    Standard SUCCESS = Standard.SUCCESS;
    Standard ERROR = Standard.ERROR;
    Standard DELETING = Standard.DELETING;

    /** In flight (Cinder's rule): a volume in one of these may not be deleted, extended, retyped or migrated again. */
    List<MigrationStatus> ACTIVE = List.of(STARTING, MIGRATING, COMPLETING);

    /** Cinder's fixed migration statuses, in the order a migration goes through them. */
    enum Standard implements MigrationStatus {
        STARTING("starting"),
        MIGRATING("migrating"),
        COMPLETING("completing"),
        SUCCESS("success"),
        ERROR("error"),
        DELETING("deleting");

        private final String wire;

        Standard(String wire) {
            this.wire = wire;
        }

        @Override
        public String wire() {
            return wire;
        }

        @Override
        public String toString() {
            return wire;
        }
    }

    /** The temporary volume of the migration of volume {@code sourceId}: {@code target:<sourceId>}. */
    record Target(String sourceId) implements MigrationStatus {

        /** How the column spells it; a query that must match every target uses it as a LIKE prefix. */
        public static final String PREFIX = "target:";

        public Target {
            if (sourceId == null || sourceId.isEmpty()) {
                throw new IllegalArgumentException("a migration target needs the id of its source volume");
            }
        }

        @Override
        public String wire() {
            return PREFIX + sourceId;
        }

        /** The wire form, so messages and logs read exactly as they did with strings. */
        @Override
        public String toString() {
            return wire();
        }
    }

    static Target target(String sourceId) {
        return new Target(sourceId);
    }

    /** Whether {@code status} (which may be null) is a migration in flight. */
    static boolean isActive(MigrationStatus status) {
        return status != null && ACTIVE.contains(status);
    }

    /** Whether {@code status} (which may be null) marks a migration's temporary volume. */
    static boolean isTarget(MigrationStatus status) {
        return status instanceof Target;
    }

    /** For input that may be anything: empty for a word Cinder does not have, or for {@code target:} with no id. */
    static Optional<MigrationStatus> fromWire(String value) {
        if (value == null) {
            return Optional.empty();
        }
        if (value.startsWith(Target.PREFIX)) {
            String sourceId = value.substring(Target.PREFIX.length());
            return sourceId.isEmpty() ? Optional.empty() : Optional.of(new Target(sourceId));
        }
        return WireValue.find(Standard.class, value).map(s -> s);
    }

    @JsonCreator
    static MigrationStatus parse(String value) {
        return fromWire(value).orElseThrow(() -> new IllegalArgumentException(
                "unknown MigrationStatus '" + value + "'"));
    }
}
