-- A booking transaction's page lock and slot re-check in ONE statement (lib/bookings/mutations.ts).
-- The function takes the page row's lock, then reads the host's confirmed bookings whose blocked range
-- overlaps [p_from, p_to). It is VOLATILE and plpgsql (never inlined): in READ COMMITTED each query it
-- runs takes a fresh snapshot, so the bookings committed by the lock's previous holder are seen. A plain
-- subquery would use the calling statement's snapshot, taken before the lock wait.
-- `version` is the page row's xmin once locked: the caller's own read of the page (the statement's
-- older snapshot) is current only when its xmin is the same; otherwise the caller reads it again.
-- Spans are [id, page_id, start, blocked_start, blocked_end] with instants in epoch milliseconds.
CREATE FUNCTION aki_lock_page_and_spans(p_page text, p_host text, p_from timestamptz, p_to timestamptz) RETURNS json
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
  page_version xid;
  spans json;
BEGIN
  SELECT xmin INTO page_version FROM booking_pages WHERE id = p_page FOR UPDATE;
  SELECT json_agg(json_build_array(
           b.id,
           b.page_id,
           floor(extract(epoch FROM b.start_at) * 1000)::bigint,
           floor(extract(epoch FROM b.blocked_start_at) * 1000)::bigint,
           floor(extract(epoch FROM b.blocked_end_at) * 1000)::bigint))
    INTO spans
    FROM bookings b
   WHERE b.user_id = p_host
     AND b.status = 'confirmed'
     AND tstzrange(b.blocked_start_at, b.blocked_end_at, '[)') && tstzrange(p_from, p_to, '[)');
  RETURN json_build_object('version', page_version::text, 'spans', coalesce(spans, '[]'::json));
END
$$;
