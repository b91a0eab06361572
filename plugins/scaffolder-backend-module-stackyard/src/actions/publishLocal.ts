import { existsSync, mkdirSync } from 'fs';
import { dirname, join } from 'path';
import { pathToFileURL } from 'url';
import { resolveSafeChildPath } from '@backstage/backend-plugin-api';
import { ConflictError, InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import { quoteValue } from '@stackyard/plugin-stackyard-common';
import { git, ORIGIN_FILE, PRISTINE_BRANCH } from '@stackyard/template-upgrade';
import type { StackyardActionsConfig } from '../lib/config';
import { localRepositoryPath } from '../lib/localRepository';
import { vendorWorkspacePackages } from '../packs';
import { examples } from './publishLocal.examples';

/** The ID of {@link createPublishLocalAction}'s action. */
export const PUBLISH_LOCAL_ACTION_ID = 'stackyard:publish:local';

const BRANCH = /^[a-z0-9][a-z0-9._-]{0,62}$/;
const AUTHOR_NAME = /^[\p{L}\p{N} ._'-]{1,100}$/u;
const AUTHOR_EMAIL = /^[A-Za-z0-9._%+-]{1,64}@[A-Za-z0-9.-]{1,190}$/;

/**
 * `stackyard:publish:local`: publishes the workspace (or a directory of it)
 * as a new git repository
 * `<stackyard.scaffolder.localPublishDirectory>/<repoName>`, so that the
 * wizard runs end to end with no Git host. The repository keeps a checked-out
 * tree that pushes update (receive.denyCurrentBranch=updateInstead), so it
 * can be cloned and pushed to like a remote while the catalog reads its
 * catalog-info.yaml from disk. Packages of this monorepo the repository
 * depends on are packed into it (`vendor/stackyard/*.tgz`, referenced with
 * `file:`, with a package-lock.json), so that `npm ci` works in a clone.
 * The first commit is the render; when it records its template
 * (`.stackyard/template.json`), the branch `stackyard/template` keeps it
 * pristine for template upgrades. Packing is a second commit.
 * Git and npm run with argument arrays, never a shell, and git without hooks.
 */
export function createPublishLocalAction(options: {
  config: StackyardActionsConfig;
  defaultAuthor?: { name?: string; email?: string };
}) {
  const { config } = options;
  return createTemplateAction({
    id: PUBLISH_LOCAL_ACTION_ID,
    description:
      'Publishes the workspace to a new local git repository under stackyard.scaffolder.localPublishDirectory',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        repoName: z =>
          z
            .string()
            .describe(
              'Repository name: lowercase letters, digits and hyphens, starting with a letter',
            ),
        sourcePath: z =>
          z
            .string()
            .default('.')
            .describe('Directory of the workspace to publish'),
        defaultBranch: z =>
          z.string().default('main').describe('The branch to create'),
        commitMessage: z =>
          z
            .string()
            .default('Initial commit')
            .describe("The first commit's message"),
      },
      output: {
        remoteUrl: z =>
          z.string().describe('file:// URL of the repository, to clone'),
        repoPath: z =>
          z
            .string()
            .describe('Path of the repository and its checked-out files'),
        commitHash: z => z.string().describe('The commit pushed'),
      },
    },
    async handler(ctx) {
      const { repoName } = ctx.input;
      const branch = ctx.input.defaultBranch ?? 'main';
      const message = ctx.input.commitMessage ?? 'Initial commit';
      const repoPath = localRepositoryPath(config, repoName);
      if (!BRANCH.test(branch) || branch.includes('..')) {
        throw new InputError(
          `defaultBranch ${quoteValue(
            branch,
          )} is not allowed: lowercase letters, digits, ".", "_" and "-"`,
        );
      }
      if (
        message.length === 0 ||
        message.length > 500 ||
        /[\0]/.test(message)
      ) {
        throw new InputError(
          `commitMessage ${quoteValue(message)} must be 1 to 500 characters`,
        );
      }
      const authorName = options.defaultAuthor?.name ?? 'Stackyard';
      const authorEmail = options.defaultAuthor?.email ?? 'stackyard@localhost';
      if (!AUTHOR_NAME.test(authorName) || !AUTHOR_EMAIL.test(authorEmail)) {
        throw new InputError(
          `scaffolder.defaultAuthor ${quoteValue(
            `${authorName} <${authorEmail}>`,
          )} is not a plain name and e-mail address`,
        );
      }
      let source: string;
      try {
        source = resolveSafeChildPath(
          ctx.workspacePath,
          ctx.input.sourcePath ?? '.',
        );
      } catch {
        throw new InputError(
          `sourcePath ${quoteValue(
            ctx.input.sourcePath,
          )} is outside the task workspace`,
        );
      }
      const remoteUrl = pathToFileURL(repoPath).href;
      ctx.output('remoteUrl', remoteUrl);
      ctx.output('repoPath', repoPath);
      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: would publish ${source} to ${remoteUrl} (${branch})`,
        );
        // Nothing was committed: an empty commit id, which later steps
        // (stackyard:cdk:deploy's commit) take as "none".
        ctx.output('commitHash', '');
        return;
      }
      const commitHash = await ctx.checkpoint({
        key: `stackyard.publish.local.${repoName}`,
        fn: async () => {
          if (existsSync(repoPath)) {
            throw new ConflictError(
              `A repository ${quoteValue(
                repoName,
              )} already exists in the local publish directory`,
            );
          }
          mkdirSync(dirname(repoPath), { recursive: true });
          await git(['init', '--initial-branch', branch, repoPath]);
          // Pushes to the checked-out branch update the files on disk.
          await git([
            '-C',
            repoPath,
            'config',
            'receive.denyCurrentBranch',
            'updateInstead',
          ]);
          const env = {
            GIT_AUTHOR_NAME: authorName,
            GIT_AUTHOR_EMAIL: authorEmail,
            GIT_COMMITTER_NAME: authorName,
            GIT_COMMITTER_EMAIL: authorEmail,
          };
          await git(['init', '--initial-branch', branch], { cwd: source });
          await git(['add', '--all', '--', '.'], { cwd: source });
          await git(['commit', '--no-verify', '--message', message], {
            cwd: source,
            env,
          });
          // The render as the template made it, kept on a branch of its
          // own: template upgrades merge the next version's render into
          // the repository against it (a three-way merge).
          const rendered = await git(['rev-parse', 'HEAD'], { cwd: source });
          const refs = [`HEAD:refs/heads/${branch}`];
          if (existsSync(join(source, ORIGIN_FILE))) {
            refs.push(`${rendered}:refs/heads/${PRISTINE_BRANCH}`);
          }
          // Packages of this monorepo (no registry may have them) go into
          // the repository, so that it installs and runs its CI on its own;
          // in a commit after the render, which the pristine branch does not
          // hold, so upgrades never merge packed files.
          const vendor = await vendorWorkspacePackages({
            dir: source,
            log: line => ctx.logger.info(line),
          });
          if (vendor.skipped) {
            ctx.logger.warn(
              `Not vendoring this monorepo's packages (${vendor.skipped}): the repository installs them from the npm registry`,
            );
          }
          await git(['add', '--all', '--', '.'], { cwd: source });
          if (await git(['status', '--porcelain'], { cwd: source })) {
            await git(
              [
                'commit',
                '--no-verify',
                '--message',
                "Pack this monorepo's packages into vendor/stackyard",
              ],
              { cwd: source, env },
            );
          }
          await git(['push', '--', repoPath, ...refs], { cwd: source });
          return git(['rev-parse', 'HEAD'], { cwd: source });
        },
      });
      ctx.logger.info(
        `Published ${commitHash.slice(0, 12)} to ${remoteUrl} (${branch})`,
      );
      ctx.output('commitHash', commitHash);
    },
  });
}
