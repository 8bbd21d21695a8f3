'use client';

import type { FieldIssue } from '@/lib/booking-pages/schema';
import type { TimeZoneChoice } from '@/lib/availability/zone-names';
import { FieldIssueText } from './field-issue';

/**
 * The time zone field of the page and schedule editors: the one zone list, with the stored zone kept
 * selectable when the list does not have it (an old or renamed name), so saving never changes it silently.
 */
export function TimeZoneSelect({
  value,
  onChange,
  zones,
  label,
  hint,
  issue,
}: {
  value: string;
  onChange: (zone: string) => void;
  zones: TimeZoneChoice[];
  label: string;
  hint: string;
  issue: FieldIssue | undefined;
}) {
  const options = zones.some((z) => z.id === value) ? zones : [{ id: value, label: value }, ...zones];
  return (
    <label className="field">
      <span>{label}</span>
      <select name="timeZone" value={value} onChange={(e) => onChange(e.target.value)} aria-invalid={Boolean(issue) || undefined}>
        {options.map((zone) => (
          <option key={zone.id} value={zone.id}>
            {zone.label}
          </option>
        ))}
      </select>
      <span className="hint">{hint}</span>
      <FieldIssueText issue={issue} />
    </label>
  );
}
