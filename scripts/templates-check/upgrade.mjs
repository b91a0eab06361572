// The upgrade stage: every earlier version a template keeps (in
// versions/<version>/) is rendered with the sample answers into a repository
// as the wizard publishes it, then upgraded to the current version by the
// upgrade engine (the same one the portal and stackyard:template:upgrade
// use). The merge must be clean, and the upgraded repository's own tests and
// the safety policy must pass: a template change that breaks upgrades fails.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { requireTs } from './require.mjs';

const { listTemplateVersions, publishRendered, upgradeService } = requireTs(
  '@stackyard/template-upgrade',
);

export class UpgradeFailure extends Error {}

/**
 * @param {string} templateDir the template's folder
 * @param {Record<string, unknown>} values its sample answers
 * @returns {Promise<{ skipped?: string, upgraded: string[] }>}
 */
export async function checkUpgrades(templateDir, values) {
  const [current, ...earlier] = listTemplateVersions([templateDir]);
  if (earlier.length === 0) {
    return { skipped: 'no earlier version in versions/', upgraded: [] };
  }
  const upgraded = [];
  const problems = [];
  for (const previous of earlier) {
    const root = mkdtempSync(join(tmpdir(), 'stackyard-check-upgrade-'));
    try {
      const repoDir = join(root, String(values.name));
      await publishRendered({
        templateDirs: [templateDir],
        template: current.name,
        version: previous.version,
        answers: values,
        repoDir,
      });
      const result = await upgradeService({
        repoDir,
        templateDirs: [templateDir],
      });
      const path = `${previous.version} → ${result.toVersion}`;
      if (result.conflicts.length > 0) {
        problems.push(
          `${path}: the merge of an untouched ${
            previous.version
          } repository has conflicts in ${result.conflicts.join(', ')}`,
        );
      } else if (result.policyPassed !== true || result.testsPassed !== true) {
        problems.push(
          `${path}: ${result.policyPassed ? '' : 'the safety policy failed; '}${
            result.testsPassed ? '' : "the repository's tests failed; "
          }log:`,
          ...result.log.slice(-30),
        );
      } else {
        const { render, merge, policy, tests } = result.timings;
        upgraded.push(
          `${path}: merged cleanly${
            result.defaultedAnswers.length > 0
              ? ` (defaults for ${result.defaultedAnswers.join(', ')})`
              : ''
          }, policy and tests passed (render ${render} ms, merge ${merge} ms, policy ${policy} ms, tests ${tests} ms)`,
        );
      }
    } catch (error) {
      problems.push(
        `${previous.version} → ${current.version}: ${error?.message ?? error}`,
      );
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  }
  if (problems.length > 0) throw new UpgradeFailure(problems.join('\n'));
  return { upgraded };
}
