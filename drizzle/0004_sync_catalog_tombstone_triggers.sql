-- A deleted part or fault category is gone for every device of its station (docs/sync.md).
-- Catalog entries are normally deactivated, not deleted; a delete happens when a whole
-- station is removed or rebuilt, or an unused entry is cleaned up.
CREATE FUNCTION sync_catalog_deleted() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO sync_tombstones (station_id, table_name, row_id, audience_user_id)
	VALUES (OLD.station_id, TG_TABLE_NAME, OLD.id, NULL);
	RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER parts_sync_tombstone AFTER DELETE ON parts
	FOR EACH ROW EXECUTE FUNCTION sync_catalog_deleted();
--> statement-breakpoint
CREATE TRIGGER fault_categories_sync_tombstone AFTER DELETE ON fault_categories
	FOR EACH ROW EXECUTE FUNCTION sync_catalog_deleted();
