import { Aspects, CfnResource, IAspect } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import {
  ACKNOWLEDGEMENTS_METADATA_KEY,
  AcknowledgementEntry,
  MIN_REASON_LENGTH,
  isAcceptableReason,
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

/**
 * Accepts the findings of one rule on every resource under `scope`. The
 * acknowledgement, with its reason, is written into each resource's template
 * metadata (`stackyard:acknowledgements`), so reviewers see it in the
 * template and `stackyard check` honours it on the synthesized template.
 *
 * @param scope - the construct whose resources are acknowledged
 * @param ruleId - the rule's ID, e.g. `SY-LAMBDA-DLQ`
 * @param reason - why the finding is acceptable; at least 10 characters
 */
export function acknowledgeRule(
  scope: IConstruct,
  ruleId: string,
  reason: string,
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
  Aspects.of(scope).add(
    new AcknowledgementAspect({ rule: ruleId, reason: reason.trim() }),
  );
}
