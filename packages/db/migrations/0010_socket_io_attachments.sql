-- Socket.IO's Postgres adapter and emitter pass events between the web instances and the worker with NOTIFY; payloads
-- over 8 kB go through this table. It holds no tenant data (only ids of changed records), so it has no agency_id and
-- no RLS; the runtime login role adds, reads and cleans it.
CREATE TABLE IF NOT EXISTS "socket_io_attachments" (
	"id" bigserial UNIQUE,
	"created_at" timestamptz DEFAULT now(),
	"payload" bytea
);--> statement-breakpoint
GRANT SELECT, INSERT, DELETE ON "socket_io_attachments" TO impera_app;--> statement-breakpoint
GRANT USAGE ON SEQUENCE "socket_io_attachments_id_seq" TO impera_app;
