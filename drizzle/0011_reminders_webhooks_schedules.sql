CREATE TABLE "availability_schedules" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"name" text NOT NULL,
	"time_zone" text NOT NULL,
	"weekly_hours" jsonb NOT NULL,
	"date_overrides" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"subscription_id" text NOT NULL,
	"message_id" text NOT NULL,
	"event_type" text NOT NULL,
	"booking_id" text,
	"payload" jsonb NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"max_attempts" integer DEFAULT 12 NOT NULL,
	"next_attempt_at" timestamp with time zone DEFAULT now() NOT NULL,
	"locked_until" timestamp with time zone,
	"last_attempt_at" timestamp with time zone,
	"response_status" integer,
	"response_body" text,
	"last_error" text,
	"duration_ms" integer,
	"redelivery_of" bigint,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"delivered_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "webhook_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"url" text NOT NULL,
	"events" jsonb NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"secret_enc" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"disabled_reason" text,
	"disabled_at" timestamp with time zone,
	"failing_since" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "schedule_id" text;--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "reminders" jsonb DEFAULT '[{"to":"guest","minutesBefore":1440},{"to":"guest","minutesBefore":60}]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "follow_up" jsonb;--> statement-breakpoint
ALTER TABLE "availability_schedules" ADD CONSTRAINT "availability_schedules_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_subscription_id_webhook_subscriptions_id_fk" FOREIGN KEY ("subscription_id") REFERENCES "public"."webhook_subscriptions"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_deliveries" ADD CONSTRAINT "webhook_deliveries_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "webhook_subscriptions" ADD CONSTRAINT "webhook_subscriptions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "availability_schedules_user_idx" ON "availability_schedules" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "webhook_deliveries_due_idx" ON "webhook_deliveries" USING btree ("next_attempt_at") WHERE "webhook_deliveries"."status" in ('pending', 'sending');--> statement-breakpoint
CREATE INDEX "webhook_deliveries_subscription_idx" ON "webhook_deliveries" USING btree ("subscription_id","id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_deliveries_message_unique" ON "webhook_deliveries" USING btree ("subscription_id","message_id") WHERE "webhook_deliveries"."redelivery_of" is null;--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_user_idx" ON "webhook_subscriptions" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "booking_pages" ADD CONSTRAINT "booking_pages_schedule_id_availability_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."availability_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Today's per-page hours become shared schedules without loss: one schedule per distinct set of
-- (zone, weekly hours, overrides) of a host, named in the host's language, and each page points at
-- the schedule equal to its own hours (which it keeps, for "own hours").
INSERT INTO "availability_schedules" ("id", "user_id", "name", "time_zone", "weekly_hours", "date_overrides", "created_at", "updated_at")
SELECT gen_random_uuid()::text, d."user_id",
  CASE WHEN u."locale" = 'ja' THEN '勤務時間' ELSE 'Working hours' END || CASE WHEN d.n > 1 THEN ' ' || d.n ELSE '' END,
  d."time_zone", d."weekly_hours", d."date_overrides", now(), now()
FROM (
  SELECT s.*, row_number() OVER (PARTITION BY s."user_id" ORDER BY s.first_created) AS n
  FROM (
    SELECT "user_id", "time_zone", "weekly_hours", "date_overrides", min("created_at") AS first_created
    FROM "booking_pages"
    GROUP BY "user_id", "time_zone", "weekly_hours", "date_overrides"
  ) s
) d
JOIN "users" u ON u."id" = d."user_id";
--> statement-breakpoint
UPDATE "booking_pages" p SET "schedule_id" = s."id"
FROM "availability_schedules" s
WHERE s."user_id" = p."user_id" AND s."time_zone" = p."time_zone" AND s."weekly_hours" = p."weekly_hours" AND s."date_overrides" = p."date_overrides";
