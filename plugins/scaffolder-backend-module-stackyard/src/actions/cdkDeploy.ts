import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
  PermissionsService,
} from '@backstage/backend-plugin-api';
import { InputError } from '@backstage/errors';
import { createTemplateAction } from '@backstage/plugin-scaffolder-node';
import type { RulePack, ServiceManifest } from '@stackyard/cdk-guardrails';
import {
  RegisterDeploymentRequest,
  stackNameFor,
  stackyardEnvironmentDeployPermission,
} from '@stackyard/plugin-stackyard-common';
import { selectTarget } from '@stackyard/plugin-stackyard-node';
import type { CdkDeployer } from '../deploy/CdkDeployer';
import { authorizeInitiator } from '../lib/authorizeInitiator';
import { waitForCatalogEntity } from '../lib/catalogWait';
import type { ServiceExtensions } from '../lib/extensions';
import type { StackyardActionsConfig } from '../lib/config';
import {
  type StackyardEnvironments,
  synthesizedResources,
} from '../lib/environments';
import { logCostEstimate } from '../lib/costEstimate';
import { infraTabUrl, parseEntityRef } from '../lib/infraLink';
import { LOCAL_PREVIEW_LABEL, localPreviewNotes } from '../lib/localPreview';
import { prefixFor } from '../lib/prefix';
import { websocketDefinition } from '../lib/websocketDefinition';
import {
  asInputError,
  findingsError,
  loadServiceManifest,
  resolveAppDir,
  synthesizeService,
} from '../lib/synth';
import { examples } from './cdkDeploy.examples';
import * as inputProps from './inputProperties';

/** The ID of {@link createCdkDeployAction}'s action. */
export const CDK_DEPLOY_ACTION_ID = 'stackyard:cdk:deploy';

export { LOCAL_PREVIEW_LABEL };

/** The WebSocket routes of a service, `route → function`, as one output value. */
function websocketRoutes(manifest: ServiceManifest): string | undefined {
  const routes = Object.entries(manifest.websocket?.routes ?? {});
  if (routes.length === 0) return undefined;
  return routes.map(([route, fn]) => `${route}→${fn}`).join(', ');
}

/**
 * Waits until the catalog serves `entityRef` to the initiator; throws an
 * InputError when it does not within `timeoutMs`, rather than letting the
 * permission check refuse an entity whose owners the catalog does not know
 * yet.
 */
async function waitUntilCatalogServes(
  entityRef: string,
  initiator: BackstageCredentials,
  options: {
    auth: AuthService;
    discovery: DiscoveryService;
    fetchApi?: { fetch: typeof fetch };
    timeoutMs: number;
    logger: LoggerService;
    signal?: AbortSignal;
  },
): Promise<void> {
  const { token } = await options.auth.getPluginRequestToken({
    onBehalfOf: initiator,
    targetPluginId: 'catalog',
  });
  const served = await waitForCatalogEntity({
    baseUrl: await options.discovery.getBaseUrl('catalog'),
    token,
    entityRef,
    timeoutMs: options.timeoutMs,
    logger: options.logger,
    fetchFn: options.fetchApi?.fetch,
    signal: options.signal,
  });
  if (options.signal?.aborted) {
    throw new Error(
      `Cancelled while waiting for the catalog to serve ${entityRef}`,
    );
  }
  if (!served) {
    throw new InputError(
      `The catalog has not processed ${entityRef} yet (waited ${Math.round(
        options.timeoutMs / 1000,
      )} s): its owners, who may deploy it, are known only once it has. ` +
        'Run the task again once the entity appears in the catalog; if it never does, ' +
        "the catalog's log names the problem with its catalog-info.yaml.",
    );
  }
}

/** Sums resource counts by type over every stack of a synthesis. */
function resourceTotals(
  stacks: readonly { resourcesByType: Readonly<Record<string, number>> }[],
): Record<string, number> {
  const totals: Record<string, number> = {};
  for (const stack of stacks) {
    for (const [type, count] of Object.entries(stack.resourcesByType)) {
      totals[type] = (totals[type] ?? 0) + count;
    }
  }
  return totals;
}

/**
 * `stackyard:cdk:deploy`: synthesizes and checks the service, then deploys
 * it to a configured target (`aws`: CloudFormation through toolkit-lib;
 * `local`: recorded as a local preview, not deployed to AWS), recording the
 * environment and each status change in the stackyard backend.
 *
 * Everything happens for the task's initiator: their
 * `stackyard.environment.deploy` permission on the entity is checked before
 * anything is synthesized or deployed (dry runs too), and every record is
 * made on their behalf, so the backend decides again and audits the person.
 * The permission is granted to the entity's owners, which the catalog knows
 * only once it has processed the entity: a deploy right after the entity was
 * registered (`catalog:register` does not wait) first waits, up to
 * `stackyard.scaffolder.catalogWaitSeconds`, until the catalog serves it.
 */
export function createCdkDeployAction(options: {
  config: StackyardActionsConfig;
  environments: StackyardEnvironments;
  deployer: CdkDeployer;
  permissions: PermissionsService;
  /** Reach the catalog on behalf of the initiator, to wait for the entity. */
  auth: AuthService;
  discovery: DiscoveryService;
  fetchApi?: { fetch: typeof fetch };
  packs?: readonly RulePack[];
  /** Where manifest extensions run; without it they are refused. */
  extensions?: ServiceExtensions;
}) {
  const { config, environments, deployer, permissions } = options;
  return createTemplateAction({
    id: CDK_DEPLOY_ACTION_ID,
    description:
      'Synthesizes, checks and deploys a Stackyard service to a target of stackyard.targets, and records the environment',
    examples,
    supportsDryRun: true,
    schema: {
      input: {
        appDir: inputProps.appDir,
        entityRef: inputProps.entityRef,
        target: inputProps.target,
        stage: inputProps.stage,
        prefix: inputProps.optionalPrefix,
        branch: inputProps.branch,
        commit: z =>
          z
            .string()
            .regex(/^([0-9a-f]{7,64})?$/i, 'must be a git commit id')
            .optional()
            .describe(
              "The commit deployed, e.g. stackyard:publish:local's commitHash: a local preview runs that commit of the published repository (empty: none)",
            ),
        approveBroadening: z =>
          z
            .boolean()
            .default(false)
            .describe(
              'Deploy even if the change broadens IAM or security-group permissions (else the change set waits for an approver on the Infra tab)',
            ),
      },
      output: {
        stackName: z =>
          z.string().describe('The stack name, "<prefix>-<stage>"'),
        outputs: z =>
          z.record(z.string(), z.string()).describe('The stack outputs'),
        environmentId: z =>
          z.string().describe('The environment in the stackyard backend'),
        infraUrl: z => z.string().describe("Link to the entity's Infra tab"),
        approvalUrl: z =>
          z
            .string()
            .optional()
            .describe(
              'Set when the change broadens permissions and waits for an approver: where they review it (the Infra tab)',
            ),
        deployedToAws: z =>
          z
            .boolean()
            .describe(
              'False for local previews, which are not deployed to AWS',
            ),
      },
    },
    async handler(ctx) {
      const { input } = ctx;
      // Everything is validated before anything is recorded or deployed.
      parseEntityRef(input.entityRef);
      const target = selectTarget(config, input.target ?? 'local', input.stage);
      const dir = resolveAppDir(ctx.workspacePath, input.appDir ?? '.');
      const manifest = loadServiceManifest(dir);
      const prefix = prefixFor({
        prefix: input.prefix,
        branch: input.branch,
        project: manifest.service.project,
      });
      let stackName: string;
      try {
        stackName = stackNameFor(prefix, input.stage);
      } catch (e) {
        throw asInputError(e);
      }
      const initiator = await ctx.getInitiatorCredentials();
      // Nothing is registered in a dry run: there is nothing to wait for.
      if (!ctx.isDryRun && config.catalogWaitMs > 0) {
        await waitUntilCatalogServes(input.entityRef, initiator, {
          ...options,
          timeoutMs: config.catalogWaitMs,
          logger: ctx.logger,
          signal: ctx.signal,
        });
      }
      await authorizeInitiator({
        permissions,
        initiator,
        permission: stackyardEnvironmentDeployPermission,
        resourceRefs: [input.entityRef],
        refusal: `You may not deploy environments of ${input.entityRef}: that needs the stackyard.environment.deploy permission (granted to its owners)`,
      });
      if (target.type === 'aws') {
        await deployer.checkCredentials(target);
      }
      const { result, findings } = await synthesizeService({
        dir,
        manifest,
        prefix,
        stage: input.stage,
        logger: ctx.logger,
        packs: options.packs,
        extensions: options.extensions,
        task: ctx,
        env:
          target.type === 'aws'
            ? { account: target.accountId, region: target.region }
            : undefined,
      });
      if (findings.length > 0) {
        throw findingsError(findings);
      }
      const infraUrl = infraTabUrl(config.portalBaseUrl, input.entityRef);
      ctx.output('stackName', stackName);
      ctx.output('infraUrl', infraUrl);
      ctx.output('deployedToAws', target.type === 'aws');

      if (ctx.isDryRun) {
        ctx.logger.info(
          `Dry run: ${stackName} would be deployed to target ${target.name} (${target.type}); nothing recorded`,
        );
        ctx.output('outputs', {});
        ctx.output('environmentId', 'dry-run');
        return;
      }

      await logCostEstimate({
        environments,
        request: {
          entityRef: input.entityRef,
          target: target.name,
          stage: input.stage,
          template: (result.templates[stackName] ?? {}) as Record<
            string,
            unknown
          >,
        },
        initiator,
        logger: ctx.logger,
      });

      const base: RegisterDeploymentRequest = {
        entityRef: input.entityRef,
        target: target.name,
        prefix,
        stage: input.stage,
        stackName,
        status: 'deploying',
        resources: resourceTotals(result.stacks),
        stackResources: synthesizedResources(result.templates[stackName]),
        templateName: manifest.service.template?.name,
        templateVersion: manifest.service.template?.version,
        costCenter: manifest.service.costCenter,
        ...(input.commit ? { commit: input.commit } : {}),
      };
      const record = (key: string, request: RegisterDeploymentRequest) =>
        ctx.checkpoint({
          key: `stackyard.record.${key}.${target.name}.${stackName}`,
          fn: async () => {
            const { environment } = await environments.registerDeployment(
              request,
              initiator,
            );
            ctx.logger.info(
              `Recorded ${stackName} on target ${target.name}: ${
                request.status
              }${request.statusReason ? ` (${request.statusReason})` : ''}`,
            );
            return environment.id;
          },
        });

      if (target.type === 'local') {
        const routes = websocketRoutes(manifest);
        const notes = localPreviewNotes(manifest);
        const outputs: Record<string, string> = {
          Preview: LOCAL_PREVIEW_LABEL,
          ...notes.outputs,
          ...(routes ? { WebSocketRoutes: routes } : {}),
        };
        ctx.logger.info(
          `${stackName} is a local preview on target ${target.name}: synthesized and checked, not deployed to AWS`,
        );
        if (notes.outputs.NotRunLocally) {
          ctx.logger.info(
            `Not run locally: ${notes.outputs.NotRunLocally}; runs locally: ${notes.outputs.RunsLocally}`,
          );
        }
        if (routes) {
          ctx.logger.info(
            `WebSocket routes recorded with the environment: ${routes}`,
          );
        }
        const websocket = websocketDefinition(manifest);
        await record('deploying', {
          ...base,
          statusReason: notes.statusReason,
        });
        // The API is recorded with the ready environment: its routes run the
        // service's functions in the environment's preview, from the commit.
        const environmentId = await record('ready', {
          ...base,
          status: 'ready',
          statusReason: notes.statusReason,
          outputs,
          ...(websocket ? { websocket } : {}),
        });
        ctx.output('outputs', outputs);
        ctx.output('environmentId', environmentId);
        return;
      }

      await record('deploying', base);
      let deployed: Awaited<ReturnType<CdkDeployer['deploy']>>;
      try {
        deployed = await ctx.checkpoint({
          key: `stackyard.deploy.${target.name}.${stackName}`,
          fn: async () => {
            ctx.logger.info(
              `Deploying ${stackName} to account ${target.accountId}, region ${target.region}`,
            );
            const r = await deployer.deploy({
              dir,
              manifest,
              prefix,
              stage: input.stage,
              stackName,
              target,
              approveBroadening: input.approveBroadening ?? false,
              // Broadening waits for an approver rather than failing.
              holdBroadening: true,
              logger: ctx.logger,
              signal: ctx.signal,
            });
            return {
              outputs: r.outputs,
              ...(r.stackId ? { stackId: r.stackId } : {}),
              ...(r.awaitingApproval
                ? { awaitingApproval: r.awaitingApproval }
                : {}),
            };
          },
        });
      } catch (e) {
        const reason = (e as Error).message ?? String(e);
        await record('failed', {
          ...base,
          status: 'failed',
          statusReason: reason.slice(0, 4000),
        });
        throw e;
      }
      if (deployed.awaitingApproval) {
        // Nothing failed: the change set waits, unexecuted, for an approver
        // (never the initiator), who executes or rejects it on the Infra tab.
        const environmentId = await record('awaiting-approval', {
          ...base,
          status: 'awaiting-approval',
          statusReason:
            'The change broadens IAM or security-group permissions; its change set waits for an approver',
          approval: {
            changeSetName: deployed.awaitingApproval.changeSetName,
            diff: deployed.awaitingApproval.diff,
          },
        });
        const approvalUrl = `${infraUrl}?approval=${encodeURIComponent(
          environmentId,
        )}`;
        ctx.logger.warn(`${stackName} is awaiting approval: ${approvalUrl}`);
        ctx.output('approvalUrl', approvalUrl);
        ctx.output('outputs', {});
        ctx.output('environmentId', environmentId);
        return;
      }
      const environmentId = await record('ready', {
        ...base,
        status: 'ready',
        stackId: deployed.stackId,
        outputs: deployed.outputs,
      });
      for (const [key, value] of Object.entries(deployed.outputs)) {
        ctx.logger.info(`Output ${key} = ${value}`);
      }
      ctx.output('outputs', deployed.outputs);
      ctx.output('environmentId', environmentId);
    },
  });
}
