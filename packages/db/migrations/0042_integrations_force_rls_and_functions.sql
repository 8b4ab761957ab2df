-- Hand-written companion of 0041 (see 0001 for why): FORCE RLS, grants, and the three doors integrations need.
ALTER TABLE "integrations" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
ALTER TABLE "api_keys" FORCE ROW LEVEL SECURITY;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "integrations" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE ON "api_keys" TO app_rls;--> statement-breakpoint
GRANT SELECT, INSERT, UPDATE, DELETE ON "api_rate_buckets" TO impera_app;--> statement-breakpoint
-- A key is presented before anyone knows its agency: this is the only lookup across agencies, by the key's public
-- prefix, returning what the caller needs to verify it (the hash) and to open the agency's transaction.
CREATE FUNCTION "resolve_api_key"(p_prefix text)
RETURNS TABLE (key_id uuid, agency_id uuid, integration_id uuid, user_id uuid, secret_hash text, key_expires_at timestamptz,
  key_revoked_at timestamptz, integration_expires_at timestamptz, integration_revoked_at timestamptz, scopes text[],
  ip_allowlist text[], integration_name text, agency_status text)
LANGUAGE sql STABLE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
  SELECT k.id, k.agency_id, k.integration_id, i.user_id, k.secret_hash, k.expires_at, k.revoked_at, i.expires_at,
    i.revoked_at, i.scopes, i.ip_allowlist, i.name, a.status::text
  FROM public.api_keys k
  JOIN public.integrations i ON i.agency_id = k.agency_id AND i.id = k.integration_id
  JOIN public.agencies a ON a.id = k.agency_id
  WHERE k.prefix = p_prefix
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "resolve_api_key"(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "resolve_api_key"(text) TO impera_app;--> statement-breakpoint
-- The users row an integration acts as. Tenant requests may not insert users; this makes exactly one kind of row, for
-- the agency of the current transaction only.
CREATE FUNCTION "create_integration_principal"(p_name text)
RETURNS uuid LANGUAGE plpgsql VOLATILE SECURITY DEFINER SET search_path = pg_catalog, public AS $$
DECLARE
  v_agency uuid := nullif(current_setting('app.agency_id', true), '')::uuid;
  v_id uuid := gen_random_uuid();
BEGIN
  IF v_agency IS NULL THEN RAISE EXCEPTION 'no agency in this transaction' USING ERRCODE = '42501'; END IF;
  INSERT INTO public.users (id, email, name, kind)
  VALUES (v_id, 'integration+' || v_id::text || '@integrations.impera.invalid', p_name, 'integration');
  RETURN v_id;
END
$$;--> statement-breakpoint
REVOKE ALL ON FUNCTION "create_integration_principal"(text) FROM PUBLIC;--> statement-breakpoint
GRANT EXECUTE ON FUNCTION "create_integration_principal"(text) TO app_rls;--> statement-breakpoint
-- A renamed integration is named the same on timelines (its users row is not the tenant's to update).
CREATE FUNCTION "integration_principal_name"() RETURNS trigger
LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, public AS $$
BEGIN
  UPDATE public.users SET name = NEW.name, updated_at = now() WHERE id = NEW.user_id AND kind = 'integration';
  RETURN NEW;
END
$$;--> statement-breakpoint
CREATE TRIGGER "integrations_principal_name" AFTER UPDATE OF "name" ON "integrations"
  FOR EACH ROW WHEN (OLD.name IS DISTINCT FROM NEW.name) EXECUTE FUNCTION "integration_principal_name"();
