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
}

/** True when `reason` is a real explanation rather than a placeholder. */
export function isAcceptableReason(reason: unknown): reason is string {
  return (
    typeof reason === 'string' && reason.trim().length >= MIN_REASON_LENGTH
  );
}

/**
 * The acknowledgement of `ruleId` in a resource's metadata, if it has one
 * with an acceptable reason.
 */
export function findAcknowledgement(
  metadata: Readonly<Record<string, unknown>>,
  ruleId: string,
): AcknowledgementEntry | undefined {
  const entries = metadata[ACKNOWLEDGEMENTS_METADATA_KEY];
  if (!Array.isArray(entries)) {
    return undefined;
  }
  return entries.find(
    (e): e is AcknowledgementEntry =>
      !!e &&
      typeof e === 'object' &&
      e.rule === ruleId &&
      isAcceptableReason(e.reason),
  );
}
