ALTER TABLE "bookings" ADD COLUMN "guest_hour12" boolean;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "hour12" boolean;