DROP POLICY "audit_log_platform_select" ON "audit_log" CASCADE;--> statement-breakpoint
-- The runtime login role may SET ROLE app_platform; without this, any web request could read every agency's audit
-- diffs through it. Platform staff keep INSERT (their own actions are audited).
REVOKE SELECT ON "audit_log" FROM app_platform;
