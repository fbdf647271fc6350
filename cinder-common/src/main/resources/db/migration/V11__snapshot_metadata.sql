-- Snapshots (issue 11): the user's metadata of a snapshot, and what Cinder's snapshot rows carry besides the
-- V1 columns: the volume's type (per-type quotas) and whether the snapshot counts in the quotas.
CREATE TABLE snapshot_metadata (
    snapshot_id         VARCHAR(36)  NOT NULL REFERENCES snapshots (id) ON DELETE CASCADE,
    meta_key            VARCHAR(255) NOT NULL,
    meta_value          VARCHAR(255),
    PRIMARY KEY (snapshot_id, meta_key)
);

ALTER TABLE snapshots ADD COLUMN volume_type_id VARCHAR(36);
ALTER TABLE snapshots ADD COLUMN use_quota BOOLEAN NOT NULL DEFAULT TRUE;
CREATE INDEX snapshots_project_idx ON snapshots (project_id, deleted);
