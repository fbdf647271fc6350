-- When the data copy of a migration began: rate and ETA are computed from it.
ALTER TABLE volume_migrations ADD COLUMN copy_started_at TIMESTAMP;
