CREATE TABLE "meeting_participants" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"booking_id" text NOT NULL,
	"person_key" text NOT NULL,
	"name" text DEFAULT '' NOT NULL,
	"email" text,
	"zoom_user_id" text,
	"registrant_id" text,
	"join_at" timestamp with time zone,
	"leave_at" timestamp with time zone,
	"role" text DEFAULT 'other' NOT NULL,
	"source" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "meeting_recordings" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"booking_id" text NOT NULL,
	"zoom_file_id" text NOT NULL,
	"file_type" text NOT NULL,
	"file_extension" text,
	"recording_type" text,
	"started_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"size_bytes" bigint,
	"play_url" text,
	"download_url" text,
	"status" text,
	"transcript_status" text DEFAULT 'none' NOT NULL,
	"transcript_text" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "register_guests" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "booking_pages" ADD COLUMN "share_recording_with_guest" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "zoom_registrant_id" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "guest_join_url" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "meeting_uuid" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "meeting_started_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "meeting_ended_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "meeting_changed_in_zoom" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "meeting_changed_in_zoom_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "meeting_synced_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "recording_share_url" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "recording_passcode" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_status" text DEFAULT 'pending' NOT NULL;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_reason" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_guest" jsonb;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_computed_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_override" text;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_override_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "bookings" ADD COLUMN "attendance_override_note" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "booking_id" text;--> statement-breakpoint
ALTER TABLE "webhook_events" ADD COLUMN "outcome" text;--> statement-breakpoint
ALTER TABLE "meeting_participants" ADD CONSTRAINT "meeting_participants_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "meeting_recordings" ADD CONSTRAINT "meeting_recordings_booking_id_bookings_id_fk" FOREIGN KEY ("booking_id") REFERENCES "public"."bookings"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_participants_segment_unique" ON "meeting_participants" USING btree ("booking_id","person_key","join_at") WHERE "meeting_participants"."join_at" is not null;--> statement-breakpoint
CREATE INDEX "meeting_participants_booking_idx" ON "meeting_participants" USING btree ("booking_id");--> statement-breakpoint
CREATE UNIQUE INDEX "meeting_recordings_file_unique" ON "meeting_recordings" USING btree ("booking_id","zoom_file_id");--> statement-breakpoint
CREATE INDEX "meeting_recordings_booking_idx" ON "meeting_recordings" USING btree ("booking_id");--> statement-breakpoint
CREATE INDEX "bookings_zoom_meeting_idx" ON "bookings" USING btree ("zoom_meeting_id") WHERE "bookings"."zoom_meeting_id" is not null;--> statement-breakpoint
CREATE INDEX "webhook_events_received_idx" ON "webhook_events" USING btree ("received_at");