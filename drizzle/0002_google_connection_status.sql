ALTER TABLE "google_connections" ADD COLUMN "revoked_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "google_connections" ADD COLUMN "busy_degraded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "google_connections" ADD COLUMN "busy_degraded_reason" text;