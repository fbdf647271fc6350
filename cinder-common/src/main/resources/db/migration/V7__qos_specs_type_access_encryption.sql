-- Volume types, part two (Cinder's quality_of_service_specs, volume_type_projects and encryption tables).
-- QoS specs: Cinder keeps one parent row plus one child row per key (the consumer among them); here the
-- consumer is a column of the parent and the keys live in their own table. The API is the same.
CREATE TABLE quality_of_service_specs (
    id                  VARCHAR(36)  PRIMARY KEY,
    name                VARCHAR(255) NOT NULL,
    consumer            VARCHAR(255) NOT NULL DEFAULT 'back-end',
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP
);
CREATE UNIQUE INDEX quality_of_service_specs_name_idx ON quality_of_service_specs (name);

CREATE TABLE quality_of_service_spec_items (
    specs_id            VARCHAR(36)  NOT NULL REFERENCES quality_of_service_specs (id) ON DELETE CASCADE,
    spec_key            VARCHAR(255) NOT NULL,
    spec_value          VARCHAR(255),
    PRIMARY KEY (specs_id, spec_key)
);

-- A volume type has at most one QoS specs (Cinder's volume_types.qos_specs_id).
ALTER TABLE volume_types ADD COLUMN qos_specs_id VARCHAR(36) REFERENCES quality_of_service_specs (id);

-- Projects that may use a private volume type.
CREATE TABLE volume_type_projects (
    volume_type_id      VARCHAR(36)  NOT NULL REFERENCES volume_types (id) ON DELETE CASCADE,
    project_id          VARCHAR(255) NOT NULL,
    PRIMARY KEY (volume_type_id, project_id)
);

-- At most one encryption spec per volume type, as Cinder's API allows.
CREATE TABLE encryption (
    encryption_id       VARCHAR(36)  PRIMARY KEY,
    volume_type_id      VARCHAR(36)  NOT NULL REFERENCES volume_types (id) ON DELETE CASCADE,
    cipher              VARCHAR(255),
    key_size            INTEGER,
    provider            VARCHAR(255) NOT NULL,
    control_location    VARCHAR(255) NOT NULL,
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP
);
CREATE UNIQUE INDEX encryption_volume_type_idx ON encryption (volume_type_id);

-- A project's own default volume type (microversion 3.62), used instead of [DEFAULT] default_volume_type.
CREATE TABLE default_volume_types (
    project_id          VARCHAR(255) PRIMARY KEY,
    volume_type_id      VARCHAR(36)  NOT NULL REFERENCES volume_types (id),
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP
);
CREATE INDEX default_volume_types_type_idx ON default_volume_types (volume_type_id);
