CREATE TABLE "host_notices" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"user_id" text NOT NULL,
	"problem" text NOT NULL,
	"booking_ids" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"mail_step_id" bigint,
	"mailed_at" timestamp with time zone,
	"opened_at" timestamp with time zone DEFAULT now() NOT NULL,
	"closed_at" timestamp with time zone,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "host_notices" ADD CONSTRAINT "host_notices_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "host_notices_open_unique" ON "host_notices" USING btree ("user_id","problem") WHERE "host_notices"."closed_at" is null;