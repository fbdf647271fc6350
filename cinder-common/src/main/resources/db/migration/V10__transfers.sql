-- Volume transfers (Cinder's "transfers" table): an offer of a volume to another project, accepted with the
-- auth key returned once at creation; only its salted HMAC (crypt_hash) is kept. An accepted or deleted offer
-- is soft deleted (accepted and destination_project_id tell which, from microversion 3.57).
CREATE TABLE transfers (
    id                      VARCHAR(36)  PRIMARY KEY,
    volume_id               VARCHAR(36)  NOT NULL,
    display_name            VARCHAR(255),
    salt                    VARCHAR(255) NOT NULL,
    crypt_hash              VARCHAR(255) NOT NULL,
    expires_at              TIMESTAMP,
    no_snapshots            BOOLEAN      NOT NULL DEFAULT FALSE,
    source_project_id       VARCHAR(255),
    destination_project_id  VARCHAR(255),
    accepted                BOOLEAN      NOT NULL DEFAULT FALSE,
    created_at              TIMESTAMP    NOT NULL,
    updated_at              TIMESTAMP,
    deleted_at              TIMESTAMP,
    deleted                 BOOLEAN      NOT NULL DEFAULT FALSE
);
CREATE INDEX transfers_volume_idx ON transfers (volume_id, deleted);
