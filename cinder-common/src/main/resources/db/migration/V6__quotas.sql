-- Quotas (Cinder's quotas, quota_classes, quota_usages). A limit row exists only where an administrator set
-- one; everything else falls back to the "default" class and then to cinder.conf's quota_* options.
CREATE TABLE quotas (
    project_id   VARCHAR(255) NOT NULL,
    resource     VARCHAR(300) NOT NULL,
    hard_limit   INTEGER      NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    updated_at   TIMESTAMP,
    PRIMARY KEY (project_id, resource)
);
CREATE TABLE quota_classes (
    class_name   VARCHAR(255) NOT NULL,
    resource     VARCHAR(300) NOT NULL,
    hard_limit   INTEGER      NOT NULL,
    created_at   TIMESTAMP    NOT NULL,
    updated_at   TIMESTAMP,
    PRIMARY KEY (class_name, resource)
);
-- One counter row per project and resource: every change locks its rows (SELECT … FOR UPDATE, in resource
-- order) in the same transaction as the change it accounts for, so concurrent requests cannot both pass a check.
-- reserved: granted to an operation not finished yet (an extend on its backend); in_use: what exists.
CREATE TABLE quota_usages (
    project_id   VARCHAR(255) NOT NULL,
    resource     VARCHAR(300) NOT NULL,
    in_use       INTEGER      NOT NULL DEFAULT 0,
    reserved     INTEGER      NOT NULL DEFAULT 0,
    created_at   TIMESTAMP    NOT NULL,
    updated_at   TIMESTAMP,
    PRIMARY KEY (project_id, resource)
);
-- Cinder's use_quota: false for a migration's temporary volume, which never counts against its project.
ALTER TABLE volumes ADD COLUMN use_quota BOOLEAN DEFAULT TRUE NOT NULL;
