-- One row per migration attempt: which path ran, how far the copy got, and why it failed. Cinder keeps none
-- of this; operators asked for progress, and a restarted volume service needs it to finish or fail cleanly.
CREATE TABLE volume_migrations (
    id                  VARCHAR(36)  PRIMARY KEY,
    volume_id           VARCHAR(36)  NOT NULL REFERENCES volumes (id),
    target_volume_id    VARCHAR(36),
    request_id          VARCHAR(255),
    source_host         VARCHAR(255) NOT NULL,
    destination_host    VARCHAR(255) NOT NULL,
    force_host_copy     BOOLEAN      NOT NULL DEFAULT FALSE,
    path                VARCHAR(32),
    state               VARCHAR(32)  NOT NULL,
    bytes_total         BIGINT       NOT NULL DEFAULT 0,
    bytes_copied        BIGINT       NOT NULL DEFAULT 0,
    detail              VARCHAR(2048),
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP,
    finished_at         TIMESTAMP
);
CREATE INDEX volume_migrations_volume_idx ON volume_migrations (volume_id, created_at);
