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
-- Volumes that exist before this migration count from now on, as Cinder would have counted them (a migration's
-- temporary volume, migration_status target:<id>, never does).
UPDATE volumes SET use_quota = FALSE WHERE migration_status LIKE 'target:%';
INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at)
    SELECT project_id, 'volumes', COUNT(*), 0, CURRENT_TIMESTAMP FROM volumes
    WHERE deleted = FALSE AND use_quota = TRUE AND project_id IS NOT NULL GROUP BY project_id;
INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at)
    SELECT project_id, 'gigabytes', SUM(size), 0, CURRENT_TIMESTAMP FROM volumes
    WHERE deleted = FALSE AND use_quota = TRUE AND project_id IS NOT NULL GROUP BY project_id;
INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at)
    SELECT v.project_id, 'volumes_' || t.name, COUNT(*), 0, CURRENT_TIMESTAMP FROM volumes v
    JOIN volume_types t ON t.id = v.volume_type_id
    WHERE v.deleted = FALSE AND v.use_quota = TRUE AND v.project_id IS NOT NULL GROUP BY v.project_id, t.name;
INSERT INTO quota_usages (project_id, resource, in_use, reserved, created_at)
    SELECT v.project_id, 'gigabytes_' || t.name, SUM(v.size), 0, CURRENT_TIMESTAMP FROM volumes v
    JOIN volume_types t ON t.id = v.volume_type_id
    WHERE v.deleted = FALSE AND v.use_quota = TRUE AND v.project_id IS NOT NULL GROUP BY v.project_id, t.name;
