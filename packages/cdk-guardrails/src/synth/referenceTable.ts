import { dirname, join } from 'path';
import type { IConstruct } from 'constructs';

/*
 * aws-cdk-lib keeps one CfnReference per (construct, attribute) in a static,
 * process-wide Map keyed by the construct (`CfnReference.referenceTable`),
 * never cleared. It keeps every synthesized App reachable. The class is not
 * exported, so it is loaded from its file; same file, same module instance.
 */
const CFN_REFERENCE_FILE = 'core/lib/private/cfn-reference.js';

let table: Map<unknown, unknown> | null | undefined;

function referenceTable(): Map<unknown, unknown> | null {
  if (table === undefined) {
    try {
      const root = dirname(require.resolve('aws-cdk-lib/package.json'));
      const candidate = require(join(root, CFN_REFERENCE_FILE)).CfnReference?.referenceTable;
      table = candidate instanceof Map ? candidate : null;
    } catch {
      table = null;
    }
  }
  return table;
}

function isInTree(key: unknown, root: IConstruct): boolean {
  const node = (key as Partial<IConstruct> | null)?.node;
  return node !== undefined && node.root === root;
}

/**
 * Drops aws-cdk-lib's cached references to the constructs of one construct
 * tree, so the tree can be garbage collected. Call it once the tree is
 * synthesized and no longer needed. Returns how many entries were dropped,
 * or `undefined` when this aws-cdk-lib version has no such table.
 */
export function forgetReferencesTo(root: IConstruct): number | undefined {
  const references = referenceTable();
  if (!references) {
    return undefined;
  }
  let dropped = 0;
  for (const key of [...references.keys()]) {
    if (isInTree(key, root)) {
      references.delete(key);
      dropped += 1;
    }
  }
  return dropped;
}
