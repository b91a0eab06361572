/** The template metadata key acknowledgements are written under. */
export const ACKNOWLEDGEMENTS_METADATA_KEY = 'stackyard:acknowledgements';

/** The shortest reason an acknowledgement may give. */
export const MIN_REASON_LENGTH = 10;

/** One acknowledgement as written into a resource's template metadata. */
export interface AcknowledgementEntry {
  /** The acknowledged rule's ID. */
  readonly rule: string;
  /** Why the finding is accepted. */
  readonly reason: string;
  /**
   * The day (`YYYY-MM-DD`, UTC) from which the acknowledgement no longer
   * accepts findings.
   */
  readonly expires?: string;
  /**
   * The construct path of the scope that was acknowledged: the resources
   * written by one `acknowledgeRule` call share it, and the acknowledgement
   * is unused when none of them has a finding of the rule.
   */
  readonly scope?: string;
}

/** True when `reason` is a real explanation rather than a placeholder. */
export function isAcceptableReason(reason: unknown): reason is string {
  return (
    typeof reason === 'string' && reason.trim().length >= MIN_REASON_LENGTH
  );
}

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a calendar date written `YYYY-MM-DD`. */
export function isExpiryDate(value: unknown): value is string {
  const match = typeof value === 'string' ? DATE_PATTERN.exec(value) : null;
  if (!match) return false;
  const [year, month, day] = match.slice(1).map(Number);
  const date = new Date(Date.UTC(year, month - 1, day));
  return (
    date.getUTCFullYear() === year &&
    date.getUTCMonth() === month - 1 &&
    date.getUTCDate() === day
  );
}

/** Today's date in UTC, `YYYY-MM-DD`. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}

/**
 * Every acknowledgement entry in a resource's metadata that names a rule,
 * whatever its reason and expiry (see {@link acknowledgementVerdict}).
 */
export function acknowledgementEntries(
  metadata: Readonly<Record<string, unknown>>,
): AcknowledgementEntry[] {
  const entries = metadata[ACKNOWLEDGEMENTS_METADATA_KEY];
  return Array.isArray(entries)
    ? entries.filter(
        (e): e is AcknowledgementEntry =>
          !!e && typeof e === 'object' && typeof e.rule === 'string',
      )
    : [];
}

/**
 * The acknowledgement of `ruleId` in a resource's metadata, if it has one
 * with an acceptable reason (whether or not it has expired).
 */
export function findAcknowledgement(
  metadata: Readonly<Record<string, unknown>>,
  ruleId: string,
): AcknowledgementEntry | undefined {
  return acknowledgementEntries(metadata).find(
    e => e.rule === ruleId && isAcceptableReason(e.reason),
  );
}

/** Whether an acknowledgement accepts a finding on `today`, and why not. */
export type AcknowledgementVerdict =
  | { readonly accepts: true }
  | { readonly accepts: false; readonly problem: string };

/**
 * Whether an acknowledgement accepts findings on `today` (`YYYY-MM-DD`):
 * it does until its expiry date; from that day on, or with an expiry that
 * is not a date, it does not, and `problem` says why.
 */
export function acknowledgementVerdict(
  entry: AcknowledgementEntry,
  today: string,
): AcknowledgementVerdict {
  if (entry.expires === undefined) return { accepts: true };
  if (!isExpiryDate(entry.expires)) {
    return {
      accepts: false,
      problem: `its acknowledgement is not accepted: expires ${JSON.stringify(
        entry.expires,
      )} is not a date written YYYY-MM-DD`,
    };
  }
  if (entry.expires <= today) {
    return {
      accepts: false,
      problem: `its acknowledgement expired on ${entry.expires} (reason: ${JSON.stringify(
        entry.reason,
      )}): fix it or renew the acknowledgement with a later date`,
    };
  }
  return { accepts: true };
}
