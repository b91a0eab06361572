import { existsSync, readFileSync } from 'fs';
import { resolve } from 'path';
import { packageRoot } from '../packageRoot';

/**
 * Where the rule pages are published: the package's `docs/rules/` in its
 * repository (package.json `repository`), one `<RULE-ID>.md` per rule.
 */
export const RULE_DOCS_BASE_URL =
  'https://github.com/stackyard/stackyard/blob/main/packages/cdk-guardrails/docs/rules/';

/**
 * The directory of the rule pages shipped in the package (`files` in
 * package.json); found when first needed, so loading this module never fails.
 */
export function ruleDocsDir(): string {
  return resolve(packageRoot(), 'docs/rules');
}

/** The URL of a rule's documentation page. */
export function ruleDocsUrl(ruleId: string): string {
  return `${RULE_DOCS_BASE_URL}${encodeURIComponent(ruleId)}.md`;
}

/** The shipped file of a rule's documentation page. */
export function ruleDocsFile(ruleId: string): string {
  return resolve(ruleDocsDir(), `${ruleId}.md`);
}

/** A rule's documentation page. */
export interface RuleDoc {
  /** The title line, without its `#`. */
  readonly title: string;
  /** The first paragraph of the "Why" section. */
  readonly why: string;
  /** The whole page. */
  readonly markdown: string;
}

const cache = new Map<string, RuleDoc | undefined>();

/** Reads a rule's documentation page; undefined when the package has none. */
export function readRuleDoc(ruleId: string): RuleDoc | undefined {
  if (cache.has(ruleId)) return cache.get(ruleId);
  let doc: RuleDoc | undefined;
  let file: string | undefined;
  try {
    file = ruleDocsFile(ruleId);
  } catch {
    // a copy of the code without its package directory: no pages to read
  }
  if (file !== undefined && /^[A-Z][A-Z0-9-]*$/.test(ruleId) && existsSync(file)) {
    const markdown = readFileSync(file, 'utf8');
    doc = {
      title: /^# (.+)$/m.exec(markdown)?.[1].trim() ?? ruleId,
      why: sectionOf(markdown, 'Why').split(/\n\s*\n/)[0].replace(/\s*\n\s*/g, ' ').trim(),
      markdown,
    };
  }
  cache.set(ruleId, doc);
  return doc;
}

/** The text of a `## <name>` section of a page, empty when it has none. */
export function sectionOf(markdown: string, name: string): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex(l => l.trim() === `## ${name}`);
  if (start === -1) return '';
  const end = lines.findIndex((l, i) => i > start && /^##? /.test(l));
  return lines
    .slice(start + 1, end === -1 ? undefined : end)
    .join('\n')
    .trim();
}
