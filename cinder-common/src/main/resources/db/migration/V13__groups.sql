-- Cinder's generic volume groups (API 3.11-3.20): group types with their specs, groups, the volume types a
-- group may hold, and a volume's group. As in Cinder's initial migration, the reserved group type
-- 'default_cgsnapshot_type' (for consistency groups migrated to groups) exists from the start.
CREATE TABLE group_types (
    id                  VARCHAR(36)  PRIMARY KEY,
    name                VARCHAR(255) NOT NULL,
    description         VARCHAR(255),
    is_public           BOOLEAN      NOT NULL DEFAULT TRUE,
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP,
    deleted_at          TIMESTAMP,
    deleted             BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX group_types_name_idx ON group_types (name);

CREATE TABLE group_type_specs (
    group_type_id       VARCHAR(36)  NOT NULL REFERENCES group_types (id) ON DELETE CASCADE,
    spec_key            VARCHAR(255) NOT NULL,
    spec_value          VARCHAR(255),
    PRIMARY KEY (group_type_id, spec_key)
);

CREATE TABLE volume_groups (
    id                  VARCHAR(36)  PRIMARY KEY,
    name                VARCHAR(255),
    description         VARCHAR(255),
    status              VARCHAR(255) NOT NULL,
    availability_zone   VARCHAR(255),
    host                VARCHAR(255),
    project_id          VARCHAR(255) NOT NULL,
    user_id             VARCHAR(255),
    group_type_id       VARCHAR(36)  NOT NULL,
    group_snapshot_id   VARCHAR(36),
    source_group_id     VARCHAR(36),
    replication_status  VARCHAR(255),
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP,
    deleted_at          TIMESTAMP,
    deleted             BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX volume_groups_project_idx ON volume_groups (project_id, deleted);
CREATE INDEX volume_groups_type_idx ON volume_groups (group_type_id);

CREATE TABLE group_volume_type_mapping (
    group_id            VARCHAR(36)  NOT NULL REFERENCES volume_groups (id) ON DELETE CASCADE,
    volume_type_id      VARCHAR(36)  NOT NULL,
    position            INTEGER      NOT NULL,
    PRIMARY KEY (group_id, volume_type_id)
);

ALTER TABLE volumes ADD COLUMN group_id VARCHAR(36);
CREATE INDEX volumes_group_idx ON volumes (group_id);

INSERT INTO group_types (id, name, description, is_public, created_at, updated_at, deleted)
VALUES ('f8b1c4f2-8a43-4e0b-9a3c-5d2e0b6a1c01', 'default_cgsnapshot_type',
        'Default group type for migrating cgsnapshot', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP, FALSE);
INSERT INTO group_type_specs (group_type_id, spec_key, spec_value)
VALUES ('f8b1c4f2-8a43-4e0b-9a3c-5d2e0b6a1c01', 'consistent_group_snapshot_enabled', '<is> True');
