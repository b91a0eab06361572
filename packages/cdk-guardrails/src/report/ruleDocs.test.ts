import { readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { META_RULES } from '../policy/metaRules';
import type { RulePack } from '../policy/types';
import { RULE_DOCS_BASE_URL, ruleDocsDir, readRuleDoc, ruleDocsFile, sectionOf } from './ruleDocs';

const PACKS_DIR = join(__dirname, '../policy/packs');

/** Every rule pack the package ships: each export of src/policy/packs/. */
function shippedPacks(): RulePack[] {
  return readdirSync(PACKS_DIR)
    .filter(f => /\.ts$/.test(f) && !/\.test\.ts$/.test(f))
    .flatMap(f => Object.values(require(join(PACKS_DIR, f)) as Record<string, unknown>))
    .filter((v): v is RulePack => !!v && typeof v === 'object' && Array.isArray((v as RulePack).rules));
}

const ruleIds = [...new Set([...shippedPacks().flatMap(p => p.rules.map(r => r.id)), ...META_RULES.map(r => r.id)])];

describe('rule documentation pages', () => {
  it('finds the shipped packs', () => {
    expect(ruleIds).toEqual(expect.arrayContaining(['SY-LAMBDA-TIMEOUT', 'SY-TAGS', 'SY-ACK-UNUSED']));
  });

  it.each(ruleIds)('%s has a page with a title, Why, How to fix and How to acknowledge', id => {
    const markdown = readFileSync(ruleDocsFile(id), 'utf8');
    expect(markdown.split('\n')[0]).toMatch(new RegExp(`^# ${id}: \\S`));
    for (const section of ['Why', 'How to fix', 'How to acknowledge']) {
      expect(sectionOf(markdown, section)).not.toBe('');
    }
    expect(readRuleDoc(id)?.why).not.toBe('');
  });

  it('has no page for a rule that does not exist', () => {
    const pages = readdirSync(ruleDocsDir()).map(f => f.replace(/\.md$/, ''));
    expect(pages.filter(p => !ruleIds.includes(p))).toEqual([]);
  });

  it('ships the pages and links them where the repository publishes them', () => {
    const pkg = JSON.parse(readFileSync(join(__dirname, '../../package.json'), 'utf8'));
    expect(pkg.files).toContain('docs');
    const repo = pkg.repository.url.replace(/^git\+/, '').replace(/\.git$/, '');
    expect(RULE_DOCS_BASE_URL).toBe(`${repo}/blob/main/${pkg.repository.directory}/docs/rules/`);
  });
});
