CREATE TABLE "team_page_members" (
	"page_id" text NOT NULL,
	"user_id" text NOT NULL,
	"weight" integer DEFAULT 1 NOT NULL,
	"schedule_id" text,
	"position" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "team_page_members_page_id_user_id_pk" PRIMARY KEY("page_id","user_id")
);
--> statement-breakpoint
DROP INDEX "booking_pages_user_slug_unique";--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "organisation_id" text;--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "team_kind" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "team_lead_id" text;--> statement-breakpoint
ALTER TABLE "organisations" ADD COLUMN "slug" text;--> statement-breakpoint
ALTER TABLE "team_page_members" ADD CONSTRAINT "team_page_members_page_id_booking_pages_id_fk" FOREIGN KEY ("page_id") REFERENCES "public"."booking_pages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_page_members" ADD CONSTRAINT "team_page_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "team_page_members" ADD CONSTRAINT "team_page_members_schedule_id_availability_schedules_id_fk" FOREIGN KEY ("schedule_id") REFERENCES "public"."availability_schedules"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "team_page_members_user_idx" ON "team_page_members" USING btree ("user_id");--> statement-breakpoint
ALTER TABLE "booking_pages" ADD CONSTRAINT "booking_pages_organisation_id_organisations_id_fk" FOREIGN KEY ("organisation_id") REFERENCES "public"."organisations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_team_lead_id_bookings_id_fk" FOREIGN KEY ("team_lead_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "booking_pages_team_slug_unique" ON "booking_pages" USING btree ("organisation_id","slug") WHERE "booking_pages"."organisation_id" is not null;--> statement-breakpoint
CREATE INDEX "bookings_team_lead_idx" ON "bookings" USING btree ("team_lead_id") WHERE "bookings"."team_lead_id" is not null;--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_slug_unique" ON "organisations" USING btree ("slug");--> statement-breakpoint
CREATE UNIQUE INDEX "booking_pages_user_slug_unique" ON "booking_pages" USING btree ("user_id","slug") WHERE "booking_pages"."organisation_id" is null;