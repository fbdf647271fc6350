-- Cinder's volume_admin_metadata: key/value pairs only administrators (and the service) set, such as the
-- 'readonly' flag of os-update_readonly_flag; the API shows 'readonly' and 'attached_mode' among a volume's
-- metadata, as Cinder does, while the metadata API lists only the user's own pairs.
CREATE TABLE volume_admin_metadata (
    volume_id           VARCHAR(36)  NOT NULL REFERENCES volumes (id) ON DELETE CASCADE,
    meta_key            VARCHAR(255) NOT NULL,
    meta_value          VARCHAR(255),
    PRIMARY KEY (volume_id, meta_key)
);
