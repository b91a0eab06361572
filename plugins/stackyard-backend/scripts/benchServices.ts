import { mockServices } from '@backstage/backend-test-utils';
import { ConfigReader } from '@backstage/config';
import type { CatalogService } from '@backstage/plugin-catalog-node';
import type { Target } from '@stackyard/plugin-stackyard-node';
import type { Knex } from 'knex';
import { readOptions } from '../src/config/readOptions';
import { createStackyardServices } from '../src/services';
import { loopbackAwsClients } from '../src/__testUtils__/loopbackAws';
import {
  recordingAuditor,
  recordingNotifier,
} from '../src/__testUtils__/recorders';

/**
 * The plugin's own wiring (createStackyardServices) for the benchmarks: the
 * given database and targets, AWS at the loopback endpoint, permissive
 * permissions, recording auditor and notifier, warnings-only logs, and
 * the catalog given (none: no entity checks).
 */
export function createBenchServices(
  knex: Knex,
  targets: Map<string, Target>,
  catalog?: CatalogService,
): ReturnType<typeof createStackyardServices> {
  const { auditor } = recordingAuditor();
  const { notifier } = recordingNotifier();
  return createStackyardServices({
    options: {
      ...readOptions(new ConfigReader({})),
      targets,
      protectedStages: ['prod'],
      eventRetention: 500,
    },
    database: mockServices.database({ knex }),
    logger: mockServices.rootLogger({ level: 'warn' }),
    permissions: mockServices.permissions(),
    auditor,
    auth: mockServices.auth(),
    httpAuth: mockServices.httpAuth({ pluginId: 'stackyard' }),
    events: mockServices.events(),
    aws: loopbackAwsClients,
    mountPath: '',
    notifier,
    catalog,
  });
}
