-- User messages (Cinder's "messages" table): why an asynchronous request failed, for the project that owns the
-- resource, kept until expires_at (message_ttl) and then reaped by the scheduler.
CREATE TABLE messages (
    id                  VARCHAR(36)  PRIMARY KEY,
    project_id          VARCHAR(255) NOT NULL,
    request_id          VARCHAR(255),
    resource_type       VARCHAR(255),
    resource_uuid       VARCHAR(36),
    event_id            VARCHAR(255) NOT NULL,
    detail_id           VARCHAR(10),
    action_id           VARCHAR(10),
    message_level       VARCHAR(255) NOT NULL,
    created_at          TIMESTAMP    NOT NULL,
    updated_at          TIMESTAMP,
    deleted_at          TIMESTAMP,
    deleted             BOOLEAN      NOT NULL DEFAULT FALSE,
    expires_at          TIMESTAMP
);
CREATE INDEX messages_project_idx ON messages (project_id, deleted);
CREATE INDEX messages_expires_idx ON messages (expires_at);

-- Cinder's services.frozen: a frozen backend refuses modification operations until thawed.
ALTER TABLE services ADD COLUMN frozen BOOLEAN DEFAULT FALSE NOT NULL;
