-- Cinder's group snapshots (API 3.14): one row per snapshot of a generic group, and each member snapshot
-- (an ordinary snapshot of one of the group's volumes) names its group snapshot.
CREATE TABLE group_snapshots (
    id                  VARCHAR(36)  PRIMARY KEY,
    group_id            VARCHAR(36)  NOT NULL,
    name                VARCHAR(255),
    description         VARCHAR(255),
    status              VARCHAR(255) NOT NULL,
    project_id          VARCHAR(255) NOT NULL,
    user_id             VARCHAR(255),
    group_type_id       VARCHAR(36)  NOT NULL,
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP,
    deleted_at          TIMESTAMP,
    deleted             BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX group_snapshots_project_idx ON group_snapshots (project_id, deleted);
CREATE INDEX group_snapshots_group_idx ON group_snapshots (group_id, deleted);

ALTER TABLE snapshots ADD COLUMN group_snapshot_id VARCHAR(36);
CREATE INDEX snapshots_group_snapshot_idx ON snapshots (group_snapshot_id);
