import { existsSync } from 'fs';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import { quoteValue } from '@stackyard/plugin-stackyard-common';
import { upgradeService } from '@stackyard/template-upgrade';
import type { StackyardActionsConfig } from '../lib/config';
import { vendorWorkspacePackages } from '../packs';
import { examples } from './templateUpgrade.examples';

/** The ID of {@link createTemplateUpgradeAction}'s action. */
export const TEMPLATE_UPGRADE_ACTION_ID = 'stackyard:template:upgrade';

const REPO_NAME = /^[a-z][a-z0-9-]{0,62}$/;

/**
 * `stackyard:template:upgrade`: upgrades a service generated from a
 * Stackyard template to a newer version of it (`@stackyard/template-upgrade`):
 * the new version, rendered with the answers the repository records, is
 * merged with git's three-way merge into `stackyard/upgrade-<version>`,
 * conflicts left with their markers and listed file by file; the service's
 * tests and the safety policy run on the result. For locally published
 * services the branch is left in the local repository. Repositories on Git
 * hosts are not supported yet.
 */
export function createTemplateUpgradeAction(options: {
  config: StackyardActionsConfig;
  /** Template folders (or folders of them) holding every version. */
  templateDirs: string[];
  /** Where manifest extensions are synthesized. */
  sandbox?: SandboxPool;
  defaultAuthor?: { name?: string; email?: string };
  /** Environment of the service's tests (e.g. where its dependencies resolve). */
  testEnv?: Record<string, string>;
}) {
  const { config } = options;
  return createTemplateAction({
    id: TEMPLATE_UPGRADE_ACTION_ID,
    description:
      "Merges a newer version of a service's template into the branch stackyard/upgrade-<version> of its repository",
    examples,
    supportsDryRun: false,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .optional()
            .describe(
              'A locally published repository: its name in stackyard.scaffolder.localPublishDirectory',
            ),
        repoUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'A repository on a Git host (host?owner=…&repo=…): not supported yet',
            ),
        toVersion: z =>
          z
            .string()
            .optional()
            .describe(
              "The version to upgrade to; default: the template's current one",
            ),
        answers: z =>
          z
            .record(z.string(), z.unknown())
            .optional()
            .describe(
              'Answers to add or correct: new questions without a default, answers the new version refuses',
            ),
        runTests: z =>
          z
            .boolean()
            .default(true)
            .describe("Run the service's own tests on the merged result"),
      },
      output: {
        branch: z => z.string().describe('The upgrade branch'),
        commit: z => z.string().describe("The upgrade branch's commit"),
        fromVersion: z => z.string(),
        toVersion: z => z.string(),
        conflicts: z =>
          z
            .array(z.string())
            .describe('Files left with conflicts, one entry each'),
        testsPassed: z =>
          z
            .boolean()
            .nullable()
            .describe("The service's tests passed (null: not run)"),
        policyPassed: z =>
          z
            .boolean()
            .nullable()
            .describe('Synth and the safety policy passed (null: not run)'),
      },
    },
    async handler(ctx) {
      const { repoName, repoUrl } = ctx.input;
      if (repoUrl !== undefined) {
        throw new InputError(
          `Upgrading repositories on a Git host (${quoteValue(
            repoUrl,
          )}) is not supported yet: upgrade a clone with @stackyard/template-upgrade and open the pull request by hand`,
        );
      }
      if (repoName === undefined) {
        throw new InputError('Give repoName, the locally published repository');
      }
      const directory = config.localPublishDirectory;
      if (!directory) {
        throw new InputError(
          'Local publishing is off: set stackyard.scaffolder.localPublishDirectory in app-config',
        );
      }
      if (!REPO_NAME.test(repoName)) {
        throw new InputError(
          `repoName ${quoteValue(
            repoName,
          )} is not allowed: lowercase letters, digits and hyphens, starting with a letter`,
        );
      }
      const repoDir = resolveSafeChildPath(directory, repoName);
      if (!existsSync(repoDir)) {
        throw new NotFoundError(
          `No repository ${quoteValue(
            repoName,
          )} in the local publish directory`,
        );
      }
      const author = {
        name: options.defaultAuthor?.name ?? 'Stackyard',
        email: options.defaultAuthor?.email ?? 'stackyard@localhost',
      };
      const result = await upgradeService({
        repoDir,
        templateDirs: options.templateDirs,
        toVersion: ctx.input.toVersion,
        answers: ctx.input.answers,
        runTests: ctx.input.runTests ?? true,
        sandbox: options.sandbox,
        testEnv: options.testEnv,
        author,
        // A new version's package.json may need packages of this monorepo
        // the repository has not packed yet.
        afterMerge: async (dir, { changedFiles }) => {
          if (!changedFiles.includes('package.json')) return;
          await vendorWorkspacePackages({
            dir,
            log: line => ctx.logger.info(line),
          });
        },
        onProgress: ({ message }) => ctx.logger.info(message),
      });
      if (result.conflicts.length > 0) {
        ctx.logger.warn(
          `${
            result.conflicts.length
          } file(s) need their conflicts resolved on ${
            result.branch
          }: ${result.conflicts.join(', ')}`,
        );
      }
      ctx.output('branch', result.branch);
      ctx.output('commit', result.commit);
      ctx.output('fromVersion', result.fromVersion);
      ctx.output('toVersion', result.toVersion);
      ctx.output('conflicts', result.conflicts);
      ctx.output('testsPassed', result.testsPassed);
      ctx.output('policyPassed', result.policyPassed);
    },
  });
}
