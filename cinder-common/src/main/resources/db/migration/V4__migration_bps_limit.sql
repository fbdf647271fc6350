-- The bandwidth limit of a migration's copy that an administrator set (bytes/s, 0 = unlimited); NULL means
-- the source backend's volume_copy_bps_limit. It can change while the copy runs.
ALTER TABLE volume_migrations ADD COLUMN bps_limit BIGINT;
