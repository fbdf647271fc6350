-- An administrator asked to cancel a migration whose copy runs outside the volume service (the compute
-- service's block copy of an attached volume); the compute service reads it with its next progress report.
ALTER TABLE volume_migrations ADD COLUMN cancel_requested BOOLEAN DEFAULT FALSE NOT NULL;
