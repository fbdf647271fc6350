-- The rollback window (migration_keep_source): after a successful detached migration the old copy is kept as a
-- hidden volume row (not counted by quotas) until kept_source_until, and os-migrate_volume_revert swaps it
-- back. source_state: kept, reverting, reverted, deleted.
ALTER TABLE volume_migrations ADD COLUMN kept_source_volume_id VARCHAR(36);
ALTER TABLE volume_migrations ADD COLUMN kept_source_until TIMESTAMP;
ALTER TABLE volume_migrations ADD COLUMN source_state VARCHAR(32);
CREATE INDEX volume_migrations_source_state_idx ON volume_migrations (source_state, kept_source_until);
