-- Hand-written: drizzle-kit cannot express FORCE RLS (drizzle-orm#5819), grants, triggers or SECURITY DEFINER functions.
-- FORCE makes the table owner subject to the policies too; only superusers still bypass them, and the app never
-- connects as one (the runtime login role is impera_app, see src/roles.ts).
ALTER TABLE "agencies" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "users" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "memberships" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "invitations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "audit_log" FORCE ROW LEVEL SECURITY;--> statement-breakpoint

GRANT USAGE ON SCHEMA public TO app_rls, app_platform, impera_app;--> statement-breakpoint
GRANT SELECT, UPDATE ON "agencies" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "agencies" TO app_platform;--> statement-breakpoint
GRANT SELECT ON "agencies" TO impera_app;--> statement-breakpoint
GRANT SELECT, UPDATE ON "users" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "users" TO app_platform;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "users" TO impera_app;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "memberships", "invitations" TO app_rls, app_platform;--> statement-breakpoint
GRANT SELECT, INSERT ON "audit_log" TO app_rls, app_platform;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "local_credentials", "auth_sessions", "password_reset_tokens", "rate_limits", "dev_mailbox" TO impera_app;--> statement-breakpoint
GRANT SELECT ON "invitations" TO impera_app;--> statement-breakpoint

CREATE FUNCTION "audit_log_append_only"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only' USING ERRCODE = 'insufficient_privilege';
END
$$;--> statement-breakpoint
CREATE TRIGGER "audit_log_no_update_delete" BEFORE UPDATE OR DELETE ON "audit_log"
  FOR EACH ROW EXECUTE FUNCTION "audit_log_append_only"();
