import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import type { RegisterDeploymentRequest } from '@stackyard/plugin-stackyard-common';
import { authorEnv, git } from '@stackyard/template-upgrade';
import type { LoopbackAws } from '@stackyard/test-support/aws';
import type { Knex } from 'knex';
import { cpSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { permissionsByOwnership } from './ownership';
import { createReplica } from './replica';

/**
 * The fields of a ready local preview of `component:default/orders`, as the
 * deploy action registers it; tests add the WebSocket API they need.
 */
export function localPreview(stage = 'dev') {
  return {
    entityRef: 'component:default/orders',
    target: 'local',
    prefix: 'orders',
    stage,
    stackName: `orders-${stage}`,
    status: 'ready',
  } satisfies Partial<RegisterDeploymentRequest>;
}

/** The repository of `orders` as {@link publishOrders} left it. */
export type PublishedOrders = {
  /** The directory the test owns (the previews' data goes under it too). */
  root: string;
  /** Where locally published repositories live: `<root>/repos`. */
  publishDir: string;
  repoDir: string;
  /** The commit a deploy of it records. */
  commit: string;
};

/**
 * The repository of `orders` published locally, as publish:local leaves it
 * under `<root>/repos`: the directories of `copies` (repository path →
 * directory) and the `files` (repository path → text) committed on `main`.
 */
export async function publishOrders(
  root: string,
  content: {
    copies?: Record<string, string>;
    files?: Record<string, string>;
  },
): Promise<PublishedOrders> {
  const publishDir = join(root, 'repos');
  const repoDir = join(publishDir, 'orders');
  mkdirSync(repoDir, { recursive: true });
  for (const [path, from] of Object.entries(content.copies ?? {}))
    cpSync(from, join(repoDir, path), { recursive: true });
  for (const [path, text] of Object.entries(content.files ?? {})) {
    mkdirSync(dirname(join(repoDir, path)), { recursive: true });
    writeFileSync(join(repoDir, path), text);
  }
  const env = authorEnv({ name: 't', email: 't@example.com' });
  await git(['init', '-q', '-b', 'main'], { cwd: repoDir });
  await git(['add', '.'], { cwd: repoDir });
  await git(['commit', '-q', '-m', 'first'], { cwd: repoDir, env });
  const commit = await git(['rev-parse', 'HEAD'], { cwd: repoDir });
  return { root, publishDir, repoDir, commit };
}

/**
 * A replica (see {@link createReplica}) whose catalog holds `orders`, owned
 * by `user:default/ada` and located at the published repository, with local
 * previews whose data lives under `<root>/data` unless `previews.config`
 * says otherwise.
 */
export function createOrdersReplica(options: {
  knex: Knex;
  server: LoopbackAws;
  published: PublishedOrders;
  previews?: Parameters<typeof createReplica>[0]['previews'];
}) {
  const { published } = options;
  return createReplica({
    knex: options.knex,
    server: options.server,
    permissions: permissionsByOwnership({
      'component:default/orders': ['user:default/ada'],
    }).permissions,
    localPublishDirectory: published.publishDir,
    catalog: catalogServiceMock({
      entities: [
        {
          apiVersion: 'backstage.io/v1alpha1',
          kind: 'Component',
          metadata: {
            name: 'orders',
            annotations: {
              'backstage.io/managed-by-location': `stackyard-local:${published.repoDir}/catalog-info.yaml`,
            },
          },
          spec: {
            type: 'service',
            owner: 'user:default/ada',
            lifecycle: 'experimental',
          },
        },
      ],
    }),
    previews: {
      ...options.previews,
      config: {
        dataDirectory: join(published.root, 'data'),
        ...options.previews?.config,
      },
    },
  });
}
