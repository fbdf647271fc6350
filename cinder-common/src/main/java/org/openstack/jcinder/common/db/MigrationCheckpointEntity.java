package org.openstack.jcinder.common.db;

import java.io.Serializable;
import java.time.LocalDateTime;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

/**
 * One durable checkpoint of a host copy: the range {@code [rangeStart, rangeEnd)} was copied and flushed to the
 * destination, which then held bytes of CRC32C {@code crc32c}. A resumed copy trusts a range only when the
 * destination still matches.
 */
@Entity
@Table(name = "volume_migration_checkpoints")
@IdClass(MigrationCheckpointEntity.Key.class)
public class MigrationCheckpointEntity {

    @Id
    @Column(name = "migration_id")
    private String migrationId;
    @Id
    @Column(name = "range_start")
    private long rangeStart;
    @Column(name = "range_end")
    private long rangeEnd;
    @Column(name = "crc32c")
    private long crc32c;
    @Column(name = "created_at")
    private LocalDateTime createdAt;

    public MigrationCheckpointEntity() {
    }

    public MigrationCheckpointEntity(String migrationId, long rangeStart, long rangeEnd, long crc32c,
                                     LocalDateTime createdAt) {
        this.migrationId = migrationId;
        this.rangeStart = rangeStart;
        this.rangeEnd = rangeEnd;
        this.crc32c = crc32c;
        this.createdAt = createdAt;
    }

    public String getMigrationId() { return migrationId; }
    public long getRangeStart() { return rangeStart; }
    public long getRangeEnd() { return rangeEnd; }
    public long getCrc32c() { return crc32c; }
    public LocalDateTime getCreatedAt() { return createdAt; }

    /** The composite key (migration, start of the range). */
    public static class Key implements Serializable {
        private String migrationId;
        private long rangeStart;

        public Key() {
        }

        public Key(String migrationId, long rangeStart) {
            this.migrationId = migrationId;
            this.rangeStart = rangeStart;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.rangeStart == rangeStart && Objects.equals(k.migrationId, migrationId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(migrationId, rangeStart);
        }
    }
}
