import { Aspects, CfnResource, IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  ACKNOWLEDGEMENTS_METADATA_KEY,
  AcknowledgementEntry,
  MIN_REASON_LENGTH,
  isAcceptableReason,
  isExpiryDate,
} from './acknowledgements';

const RULE_ID_PATTERN = /^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$/;

class AcknowledgementAspect implements IAspect {
  constructor(private readonly entry: AcknowledgementEntry) {}

  visit(node: IConstruct): void {
    if (!CfnResource.isCfnResource(node)) {
      return;
    }
    const existing = node.getMetadata(ACKNOWLEDGEMENTS_METADATA_KEY);
    const entries: AcknowledgementEntry[] = Array.isArray(existing)
      ? existing
      : [];
    if (!entries.some(e => e.rule === this.entry.rule)) {
      node.addMetadata(ACKNOWLEDGEMENTS_METADATA_KEY, [...entries, this.entry]);
    }
  }
}

/** Options of {@link acknowledgeRule}. */
export interface AcknowledgeRuleOptions {
  /**
   * The day (`YYYY-MM-DD`, UTC) from which the acknowledgement no longer
   * accepts findings: from then on they fail again, saying it expired.
   *
   * @default - never expires
   */
  readonly expires?: string;
}

/**
 * Accepts the findings of one rule on every resource under `scope`. The
 * acknowledgement, with its reason, expiry and scope, is written into each
 * resource's template metadata (`stackyard:acknowledgements`), so reviewers
 * see it in the template and `stackyard check` honours it on the
 * synthesized template. An acknowledgement that accepts no finding under
 * `scope` is reported as unused (`SY-ACK-UNUSED`, a warning).
 *
 * @param scope - the construct whose resources are acknowledged
 * @param ruleId - the rule's ID, e.g. `SY-LAMBDA-DLQ`
 * @param reason - why the finding is acceptable; at least 10 characters
 */
export function acknowledgeRule(
  scope: IConstruct,
  ruleId: string,
  reason: string,
  options: AcknowledgeRuleOptions = {},
): void {
  if (!RULE_ID_PATTERN.test(ruleId)) {
    throw new Error(
      `[${scope.node.path}] cannot acknowledge rule ${JSON.stringify(
        ruleId,
      )}: not a rule ID like "SY-LAMBDA-DLQ"`,
    );
  }
  if (!isAcceptableReason(reason)) {
    throw new Error(
      `[${scope.node.path}] acknowledging ${ruleId} needs a reason of at least ${MIN_REASON_LENGTH} characters, got ${JSON.stringify(
        reason,
      )}`,
    );
  }
  if (options.expires !== undefined && !isExpiryDate(options.expires)) {
    throw new Error(
      `[${scope.node.path}] acknowledging ${ruleId}: expires ${JSON.stringify(
        options.expires,
      )} is not a date written YYYY-MM-DD`,
    );
  }
  Aspects.of(scope).add(
    new AcknowledgementAspect({
      rule: ruleId,
      reason: reason.trim(),
      ...(options.expires !== undefined ? { expires: options.expires } : {}),
      scope: scope.node.path,
    }),
  );
}
