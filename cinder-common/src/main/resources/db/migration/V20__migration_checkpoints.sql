-- Durable checkpoints of a host copy (issue 13): each row is one range of the volume that was copied and
-- flushed to the destination, with the CRC32C of what the destination then held. After a crash of the volume
-- service that ran the copy, the copy resumes after the last range whose checksum the destination still
-- matches, instead of from byte 0.
CREATE TABLE volume_migration_checkpoints (
    migration_id VARCHAR(36) NOT NULL REFERENCES volume_migrations (id) ON DELETE CASCADE,
    range_start  BIGINT      NOT NULL,
    range_end    BIGINT      NOT NULL,
    crc32c       BIGINT      NOT NULL,
    created_at   TIMESTAMP   NOT NULL,
    PRIMARY KEY (migration_id, range_start)
);
-- How often a migration was resumed after a crash, and from which byte the last resumption copied on.
ALTER TABLE volume_migrations ADD COLUMN resume_count INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE volume_migrations ADD COLUMN resumed_from BIGINT;
-- Whether the host copy skipped zeros (the destination reads as zeros): a resumed copy does as the first did.
ALTER TABLE volume_migrations ADD COLUMN sparse_copy BOOLEAN DEFAULT FALSE NOT NULL;
