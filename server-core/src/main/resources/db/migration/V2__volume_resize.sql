-- Volume resize (issue 10). A volume says how its file holds the disk, so later kinds (qcow2,
-- overlays) fit beside the raw files of V1; updated_at tells when its size last changed.
ALTER TABLE volume ADD COLUMN format VARCHAR(16) DEFAULT 'raw' NOT NULL;
ALTER TABLE volume ADD COLUMN updated_at TIMESTAMP WITH TIME ZONE;
