import { absoluteTime, relativeTime } from '../lib/time';

/** A relative time ("5 minutes ago") with the exact time on hover. */
export function Timestamp({ iso }: { iso: string }) {
  return (
    <time dateTime={iso} title={absoluteTime(iso)}>
      {relativeTime(iso)}
    </time>
  );
}
