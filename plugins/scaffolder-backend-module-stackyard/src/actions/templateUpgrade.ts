import { existsSync } from 'fs';
import type { PermissionsService } from '@backstage/backend-plugin-api';
import type { ScmIntegrationRegistry } from '@backstage/integration';
import { InputError, NotFoundError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { SandboxPool } from '@stackyard/cdk-guardrails';
import {
  quoteValue,
  stackyardTemplateUpgradePermission,
} from '@stackyard/plugin-stackyard-common';
import {
  UpgradeResult,
  UpgradeSubject,
  upgradeHostedService,
  upgradeService,
} from '@stackyard/template-upgrade';
import { authorizeInitiator } from '../lib/authorizeInitiator';
import { localRepositoryPath } from '../lib/localRepository';
import type { StackyardActionsConfig } from '../lib/config';
import { parseEntityRef } from '../lib/infraLink';
import { vendorWorkspacePackages } from '../packs';
import { examples } from './templateUpgrade.examples';

/** The ID of {@link createTemplateUpgradeAction}'s action. */
export const TEMPLATE_UPGRADE_ACTION_ID = 'stackyard:template:upgrade';

/** Refs compare without regard to case, as the catalog's do. */
const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/**
 * `stackyard:template:upgrade`: upgrades a service generated from a
 * Stackyard template to a newer version of it (`@stackyard/template-upgrade`):
 * the new version, rendered with the answers the repository records, is
 * merged with git's three-way merge into `stackyard/upgrade-<version>`,
 * conflicts left with their markers and listed file by file; the service's
 * tests and the safety policy run on the result. For locally published
 * services (`repoName`) the branch is left in the local repository; for
 * repositories on GitHub or GitLab (`repoUrl`, through Backstage's
 * integrations) the branches are pushed — never forced, never the default
 * branch — and a pull (merge) request is opened listing the conflicts file
 * by file, or the one already open for that branch is returned.
 *
 * The upgrade happens for the task's initiator: once the repository's
 * entity (its catalog-info.yaml on the default branch) and template (its
 * origin record) are read, and before anything is rendered or pushed, their
 * `stackyard.template.upgrade` permission is decided on the entity and on
 * the template's Template entity (the shipped policy grants it to the owners
 * of either), as the backend's upgrade route decides it.
 */
export function createTemplateUpgradeAction(options: {
  config: StackyardActionsConfig;
  /** Decides the initiator's `stackyard.template.upgrade` permission. */
  permissions: PermissionsService;
  /** Template folders (or folders of them) holding every version. */
  templateDirs: string[];
  /** Where manifest extensions are synthesized. */
  sandbox?: SandboxPool;
  defaultAuthor?: { name?: string; email?: string };
  /** Environment of the service's tests (e.g. where its dependencies resolve). */
  testEnv?: Record<string, string>;
  /** Backstage's integrations: GitHub and GitLab hosts, API URLs and tokens for `repoUrl`. */
  integrations?: ScmIntegrationRegistry;
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
              'A repository on GitHub or GitLab (host?owner=…&repo=…, as publish:github takes it): the upgrade branch is pushed there and a pull request opened',
            ),
        entityRef: z =>
          z
            .string()
            .optional()
            .describe(
              "The service's entity, e.g. component:default/orders: must be the one the repository's catalog-info.yaml describes (default: that one)",
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
        pullRequestUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'For repoUrl: the pull (merge) request of the upgrade branch, opened or already open',
            ),
      },
    },
    async handler(ctx) {
      const { repoName, repoUrl } = ctx.input;
      if ((repoName === undefined) === (repoUrl === undefined)) {
        throw new InputError(
          'Give either repoName (a locally published repository) or repoUrl (a repository on GitHub or GitLab)',
        );
      }
      let repoDir: string | undefined;
      if (repoName !== undefined) {
        repoDir = localRepository(config, repoName);
      } else if (!options.integrations) {
        throw new InputError(
          'Upgrades of repositories on Git hosts need the integrations (integrations.github / integrations.gitlab)',
        );
      }
      const repository = quoteValue(repoName ?? repoUrl!);
      if (ctx.input.entityRef !== undefined) {
        parseEntityRef(ctx.input.entityRef);
      }
      const initiator = await ctx.getInitiatorCredentials();
      const authorize = async (subject: UpgradeSubject) => {
        const { entityRef } = subject;
        if (!entityRef) {
          throw new InputError(
            `Repository ${repository} describes no entity in catalog-info.yaml on its default branch: who may upgrade it (its owners) is not known`,
          );
        }
        parseEntityRef(entityRef);
        const asked = ctx.input.entityRef;
        if (asked && lower(asked) !== lower(entityRef)) {
          throw new InputError(
            `entityRef ${quoteValue(
              asked,
            )} is not the entity of repository ${repository}: its catalog-info.yaml describes ${entityRef}`,
          );
        }
        const templateRef = `template:default/${subject.template}`;
        await authorizeInitiator({
          permissions: options.permissions,
          initiator,
          permission: stackyardTemplateUpgradePermission,
          resourceRefs: [entityRef, templateRef],
          refusal: `You may not upgrade ${entityRef}: that needs the stackyard.template.upgrade permission (granted to its owners and to the owners of ${templateRef})`,
        });
      };
      const author = {
        name: options.defaultAuthor?.name ?? 'Stackyard',
        email: options.defaultAuthor?.email ?? 'stackyard@localhost',
      };
      const upgrade = {
        templateDirs: options.templateDirs,
        toVersion: ctx.input.toVersion,
        answers: ctx.input.answers,
        runTests: ctx.input.runTests ?? true,
        sandbox: options.sandbox,
        testEnv: options.testEnv,
        author,
        authorize,
        onProgress: ({ message }: { message: string }) =>
          ctx.logger.info(message),
      };
      let result: UpgradeResult;
      let pullRequestUrl: string | undefined;
      if (repoDir !== undefined) {
        result = await upgradeService({
          ...upgrade,
          repoDir,
          // A new version's package.json may need packages of this monorepo
          // the repository has not packed yet.
          afterMerge: async (dir, { changedFiles }) => {
            if (!changedFiles.includes('package.json')) return;
            await vendorWorkspacePackages({
              dir,
              log: line => ctx.logger.info(line),
            });
          },
        });
      } else {
        // Hosted repositories keep their registry ranges: nothing is packed.
        const hosted = await upgradeHostedService({
          ...upgrade,
          repoUrl: repoUrl!,
          integrations: options.integrations!,
        });
        result = hosted;
        pullRequestUrl = hosted.pullRequest.url;
      }
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
      if (pullRequestUrl) ctx.output('pullRequestUrl', pullRequestUrl);
    },
  });
}

/** The locally published repository `repoName`, which must exist. */
function localRepository(
  config: StackyardActionsConfig,
  repoName: string,
): string {
  const repoDir = localRepositoryPath(config, repoName);
  if (!existsSync(repoDir)) {
    throw new NotFoundError(
      `No repository ${quoteValue(repoName)} in the local publish directory`,
    );
  }
  return repoDir;
}
