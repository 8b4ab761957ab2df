-- Hand-written (decision 027): the old per-agency rule for new WhatsApp leads becomes a distribution rule limited to
-- WhatsApp leads, with the same people (every active agent in turn, or the one member), before its columns go.
INSERT INTO "distribution_rules" ("id", "agency_id", "position", "name", "sources")
SELECT gen_random_uuid(), a."id", 0, 'WhatsApp', '{whatsapp}'::lead_source[]
FROM "agencies" a
WHERE a."whatsapp_lead_rule" = 'round_robin'
   OR (a."whatsapp_lead_rule" = 'member' AND a."whatsapp_lead_member" IS NOT NULL);--> statement-breakpoint
INSERT INTO "distribution_members" ("agency_id", "rule_id", "user_id", "weight")
SELECT r."agency_id", r."id", m."user_id", 1
FROM "distribution_rules" r
JOIN "agencies" a ON a."id" = r."agency_id"
JOIN "memberships" m ON m."agency_id" = a."id" AND m."status" = 'active'
WHERE (a."whatsapp_lead_rule" = 'round_robin' AND m."role" = 'agent')
   OR (a."whatsapp_lead_rule" = 'member' AND m."user_id" = a."whatsapp_lead_member");--> statement-breakpoint
ALTER TABLE "agencies" DROP COLUMN "whatsapp_lead_rule";--> statement-breakpoint
ALTER TABLE "agencies" DROP COLUMN "whatsapp_lead_member";--> statement-breakpoint
DROP TYPE "public"."whatsapp_lead_rule";
