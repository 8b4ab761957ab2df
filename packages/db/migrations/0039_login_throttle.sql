CREATE TABLE "login_throttle" (
	"key" text PRIMARY KEY NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	"window_start" timestamp with time zone DEFAULT now() NOT NULL,
	"last_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
-- Sign-in runs before anyone is known, as the runtime role itself (like rate_limits, 0001); no agency data here.
GRANT SELECT, INSERT, UPDATE, DELETE ON "login_throttle" TO impera_app;
