-- The audit rows of a push are written in the statement that moves their client's
-- last_mutation_id (src/lib/server/sync/push.ts); checking this key for each row was almost half
-- of that statement's time. Clients are never deleted, so the cascade had nothing to do.
ALTER TABLE "sync_mutations" DROP CONSTRAINT "sync_mutations_client_fk";
