-- Rolling upgrades (Cinder's services.rpc_current_version): the RPC API version each service serves, written
-- when it registers. With [upgrade_levels] <binary> = auto, callers send at the lowest version among the
-- non-deleted rows of that binary. NULL: a row written before this column existed (its service has not
-- registered since); `auto` refuses to guess for it, as Cinder does for a pre-Mitaka row.
ALTER TABLE services ADD COLUMN rpc_current_version VARCHAR(36);
