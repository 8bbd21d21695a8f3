-- Invariant 1: two confirmed bookings of one host never overlap (ranges include the page buffers).
-- Drizzle has no syntax for exclusion constraints, so this migration is written by hand.
CREATE EXTENSION IF NOT EXISTS btree_gist;
--> statement-breakpoint
ALTER TABLE "bookings" ADD CONSTRAINT "bookings_no_overlap"
  EXCLUDE USING gist ("user_id" WITH =, tstzrange("blocked_start_at", "blocked_end_at", '[)') WITH &&)
  WHERE ("status" = 'confirmed');
