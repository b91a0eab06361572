/*
 * Benchmark: the whole create-service task of `templates/serverless-service`
 * on the `local` target, in two variants run in one process:
 *
 *   manifest   the service as the template renders it: a manifest of pure
 *              data, synthesized in-process
 *   extension  the same service with an `extension:` added right after the
 *              render step (infra/extend.js: an SNS topic the intake function
 *              publishes to, tagged like every resource of the stack, so the
 *              safety policy finds nothing), so that synth and deploy
 *              synthesize in sandboxes of a SandboxPool, pre-warmed, created
 *              as src/module.ts creates it
 *
 *   npm run bench --workspace @stackyard/plugin-scaffolder-backend-module-stackyard
 *   npm run bench --workspace @stackyard/plugin-scaffolder-backend-module-stackyard -- --runs 50
 *   options: --runs N (warm runs per variant, default 20), --manifest-only
 *            (no sandbox pool, no extension variant), --verbose (task log),
 *            --json
 *
 * Every task is a fresh workspace, then each step of the template's
 * `spec.steps` in order, with its input resolved from sample form values and
 * earlier step outputs, through the action handlers the portal registers,
 * built as src/module.ts builds them (one set for both variants):
 *
 *   render   fetch:template (from @backstage/plugin-scaffolder-backend, as the
 *            portal's backend registers it) renders the skeleton
 *   prefix   stackyard:prefix:resolve
 *   synth    stackyard:cdk:synth: synthesis + safety policy (in a sandbox
 *            for the extension variant)
 *   publish  stackyard:publish:local: a git repository in a temp directory
 *   register stackyard:catalog:register-local: POSTs the location to a
 *            loopback HTTP server standing in for the catalog, which
 *            "processes" it at once: it answers 201 with the Location's
 *            entity ref, then serves the entity of the registered
 *            catalog-info.yaml (GET /entities/by-name/...) and answers
 *            POST /refresh (200 for what it has, 404 otherwise), which is
 *            what lib/catalogWait.ts reads (the catalog's own ingestion is
 *            not measured)
 *   deploy   stackyard:cdk:deploy on the local target: waits until the
 *            catalog serves the entity, checks the initiator's
 *            stackyard.environment.deploy permission, synthesis + policy
 *            (in a sandbox for the extension variant), then the environment
 *            recorded (deploying, ready)
 *
 * Steps of the GitHub/GitLab publish path (their `if:` does not hold for
 * `publishTo: local`) are skipped, as the scaffolder skips them. The whole
 * task's time is the sum of its steps' times: adding the extension is not
 * timed (it stands in for a skeleton that has one).
 *
 * Stand-ins, not measured: environments are recorded through the module's
 * `StackyardEnvironments` interface implemented in memory (no stackyard
 * backend, no database); the PermissionsService allows every request (the
 * permission policy is not what this measures; each run checks that the
 * deploy permission was asked for the entity on behalf of the initiator,
 * user:default/guest, whose credentials the action context gives); auth
 * issues a fixed token. Not measured either: the scaffolder's task queue and
 * database writes, and the nunjucks templating of step inputs (a small
 * resolver stands in for it).
 *
 * Run r runs one task of each variant, in alternating order, so that machine
 * load hits both alike. Before each task the bench waits (untimed) until the
 * pool's sandboxes are idle, their CPU time read from /proc no longer
 * growing: the spare the previous task's deploy step started has warmed up,
 * as it has between two wizard runs in the portal. Within a task, the deploy
 * step's wait for the spare that its synth step started is measured.
 *
 * The first task of each variant is reported as cold (manifest runs first, so
 * it alone pays for loading the in-process code); the following runs (20 by
 * default) as warm: median and p95 per step and for the whole task, then both
 * variants' warm medians side by side with their ratio, PASS/FAIL against the
 * target of issue 11 (extension ≤ 2× manifest, whole task). The pool is
 * closed at the end, and the bench fails if a sandbox process it saw is
 * still alive. RSS is the bench process's; sandboxes are separate processes.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  appendFileSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';
import type {
  AuthService,
  BackstageCredentials,
  DiscoveryService,
  LoggerService,
  PermissionsService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { SandboxPool, SandboxResultCache } from '@stackyard/cdk-guardrails';
import { parse, parseAllDocuments } from 'yaml';
import {
  createCdkDeployAction,
  createCatalogRegisterLocalAction,
  createCdkSynthAction,
  createPrefixResolveAction,
  createPublishLocalAction,
  readStackyardActionsConfig,
  ToolkitCdkDeployer,
} from '../src';
import { FakeStackyardEnvironments } from '../src/__testUtils__/fakes';
import {
  catalogTemplates,
  type ServiceExtensions,
} from '../src/lib/extensions';

type AnyAction = TemplateAction<any, any>;
type JsonLike = unknown;

const repoRoot = resolve(__dirname, '../../..');
const templateName = 'serverless-service';
const templateDir = resolve(repoRoot, 'templates', templateName);
const templateFile = join(templateDir, 'template.yaml');

function argValue(name: string): string | undefined {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const WARM_RUNS = Number(
  argValue('--runs') ?? process.env.STACKYARD_BENCH_RUNS ?? 20,
);
const VERBOSE = process.argv.includes('--verbose');
const JSON_OUT = process.argv.includes('--json');
const MANIFEST_ONLY = process.argv.includes('--manifest-only');

/** Issue 11: the extension variant's warm median at most this × manifest's. */
const EXTENSION_TARGET_RATIO = 2;
const INITIATOR = 'user:default/guest';

/** The template's sample answers (its check-values.yaml), named `name`. */
const sampleValues = (name: string): Record<string, string> => ({
  ...parse(readFileSync(join(templateDir, 'check-values.yaml'), 'utf8')).values,
  name,
});

/** Whether a step runs for `publishTo: local` (the default publish path). */
function runsOnLocalPath(step: { if?: string }): boolean {
  return !step.if || step.if.includes("parameters.publishTo == 'local'");
}

/** The extension the extension variant adds; it passes the safety policy. */
const EXTENSION_FILE = 'infra/extend.js';
const EXTENSION_SOURCE = `'use strict';

// An events topic the intake function publishes to. The stack's tags
// (Project, Environment, CostCenter, ...) reach it like every resource.
const sns = require('aws-cdk-lib/aws-sns');

module.exports = service => {
  const topic = new sns.Topic(service.stack, 'Events', {
    topicName: \`\${service.stack.stackName}-events\`,
  });
  topic.grantPublish(service.functions.intake.function);
};
`;

/** Gives the rendered service in `workspacePath` the extension. */
function addExtension(workspacePath: string) {
  mkdirSync(join(workspacePath, 'infra'), { recursive: true });
  writeFileSync(join(workspacePath, EXTENSION_FILE), EXTENSION_SOURCE);
  appendFileSync(
    join(workspacePath, 'stackyard.yaml'),
    `\nextension: ${EXTENSION_FILE}\n`,
  );
}

interface Variant {
  readonly name: 'manifest' | 'extension';
  /** The service's name in run `run` (repositories must not collide). */
  serviceName(run: number): string;
  /** Runs on the workspace after the render step, untimed. */
  afterRender?(workspacePath: string): void;
}

const VARIANTS: readonly Variant[] = [
  { name: 'manifest', serviceName: run => `bench-svc-${run}` },
  {
    name: 'extension',
    serviceName: run => `bench-ext-${run}`,
    afterRender: addExtension,
  },
];

/** `kind:namespace/name` (kind lower-cased) and the entity of a catalog file. */
function firstEntity(file: string): { ref: string; entity: any } {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const entity = doc.toJS();
    if (entity?.kind && entity?.metadata?.name) {
      const namespace = entity.metadata.namespace ?? 'default';
      return {
        ref: `${entity.kind}:${namespace}/${entity.metadata.name}`.toLowerCase(),
        entity: { ...entity, metadata: { ...entity.metadata, namespace } },
      };
    }
  }
  throw new Error(`${file} holds no entity`);
}

/**
 * A loopback stand-in for the catalog, which processes a location the moment
 * it is added: `POST /locations` (201, with the Location entity's ref),
 * `GET /entities/by-name/...` (200 with the entity once its location is
 * added, 404 before) and `POST /refresh` (200 for an entity or location it
 * has, 404 otherwise), as lib/catalogWait.ts reads them. Records the reads.
 */
async function startLoopbackCatalog() {
  const api = '/api/catalog';
  const locations: { type: string; target: string }[] = [];
  const entities = new Map<string, unknown>();
  const reads: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body?: unknown) =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(body === undefined ? undefined : JSON.stringify(body));
      const url = req.url ?? '';
      const byName = /^\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(
        url.slice(api.length),
      );
      if (req.method === 'GET' && url.startsWith(api) && byName) {
        const [kind, namespace, name] = byName.slice(1).map(decodeURIComponent);
        const ref = `${kind}:${namespace}/${name}`.toLowerCase();
        reads.push(ref);
        const entity = entities.get(ref);
        json(
          entity ? 200 : 404,
          entity ?? { error: { name: 'NotFoundError' } },
        );
        return;
      }
      if (req.method !== 'POST') {
        json(404);
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (url === `${api}/refresh`) {
        json(entities.has(String(body.entityRef).toLowerCase()) ? 200 : 404);
        return;
      }
      if (url !== `${api}/locations`) {
        json(404);
        return;
      }
      const { type, target } = body as { type: string; target: string };
      locations.push({ type, target });
      const id = createHash('sha1').update(`${type}:${target}`).digest('hex');
      const locationRef = `location:default/generated-${id}`;
      entities.set(locationRef, { kind: 'Location', metadata: { name: id } });
      const { ref, entity } = firstEntity(target);
      entities.set(ref, entity);
      json(201, {
        location: { id, type, target, entityRef: locationRef },
        entities: [],
      });
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${api}`,
    locations,
    reads,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}

/**
 * A PermissionsService that allows every request: a bench stand-in (the
 * permission policy is not what is measured). Records each request and the
 * user it was made for, so runs can check the deploy permission was asked.
 */
function allowAllPermissions() {
  const requests: {
    permission: string;
    resourceRef?: string;
    user?: string;
  }[] = [];
  const allow = async (
    batch: readonly { permission: { name: string }; resourceRef?: string }[],
    options: { credentials: BackstageCredentials },
  ) => {
    const principal = options.credentials.principal as {
      userEntityRef?: string;
    };
    for (const r of batch) {
      requests.push({
        permission: r.permission.name,
        resourceRef: r.resourceRef,
        user: principal.userEntityRef,
      });
    }
    return batch.map(() => ({ result: AuthorizeResult.ALLOW }));
  };
  const service = {
    authorize: allow,
    authorizeConditional: allow,
  } as unknown as PermissionsService;
  return { service, requests };
}

/** CPU time (user + system, in clock ticks) of a process, from /proc. */
function cpuTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after "(comm) ": state is the first; utime, stime the 12th, 13th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return Number(fields[11]) + Number(fields[12]);
  } catch {
    return undefined;
  }
}

/**
 * Waits until the pool's sandboxes are idle: their CPU time has not grown
 * over two samples 150 ms apart (a warm spare only waits for its job).
 * Without /proc, waits a fixed 10 s instead. Adds the pids it sees to `seen`.
 */
async function untilSandboxesIdle(pool: SandboxPool, seen: Set<number>) {
  if (!os.platform().startsWith('linux')) {
    await sleep(10_000);
    return;
  }
  const deadline = Date.now() + 180_000;
  let last = '';
  let quiet = 0;
  for (;;) {
    const pids = pool.pids;
    pids.forEach(p => seen.add(p));
    // None alive: the pool could not start one; the next job says why.
    if (pids.length === 0) return;
    const sample = pids.map(p => `${p}:${cpuTicks(p)}`).join(',');
    quiet = sample === last ? quiet + 1 : 0;
    if (quiet >= 2) return;
    if (Date.now() > deadline) {
      throw new Error(`sandboxes ${pids} still busy after 180 s`);
    }
    last = sample;
    await sleep(150);
  }
}

/**
 * The scaffolder's fetch:template action, loaded the way the portal's backend
 * loads it: from `@backstage/plugin-scaffolder-backend`, a dependency of
 * packages/backend.
 */
function portalFetchTemplateAction(): AnyAction {
  const backendRequire = createRequire(
    resolve(repoRoot, 'packages/backend/package.json'),
  );
  const scaffolderBackendPath = backendRequire.resolve(
    '@backstage/plugin-scaffolder-backend',
  );
  const scaffolderBackend = backendRequire(scaffolderBackendPath) as {
    createFetchTemplateAction(options: {
      reader: UrlReaderService;
      integrations: unknown;
    }): AnyAction;
  };
  const { ScmIntegrations } = createRequire(scaffolderBackendPath)(
    '@backstage/integration',
  ) as { ScmIntegrations: { fromConfig(config: ConfigReader): unknown } };
  // The skeleton is a local file (`./skeleton` next to a file:// template),
  // which fetch:template copies without a URL reader.
  const reader: UrlReaderService = {
    async readUrl() {
      throw new Error('the benchmark reads no URLs');
    },
    async readTree() {
      throw new Error('the benchmark reads no URLs');
    },
    async search() {
      throw new Error('the benchmark reads no URLs');
    },
  };
  return scaffolderBackend.createFetchTemplateAction({
    reader,
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
}

/** A logger that keeps the task log in memory. */
function taskLogger(lines: string[]): LoggerService {
  const log = (level: string) => (message: string, meta?: Error | object) => {
    const line = `${level} ${message}${
      meta instanceof Error ? ` ${meta.message}` : ''
    }`;
    lines.push(line);
    if (VERBOSE) process.stdout.write(`    ${line}\n`);
  };
  const logger: LoggerService = {
    error: log('error'),
    warn: log('warn'),
    info: log('info'),
    debug: log('debug'),
    child: () => logger,
  };
  return logger;
}

/**
 * Resolves `${{ parameters.x }}` and `${{ steps.<id>.output.<key> }}`
 * (or `steps['<id>']…`) in a
 * step input, the only expressions the template's step inputs use.
 */
function resolveInput(
  value: JsonLike,
  parameters: Record<string, unknown>,
  stepOutputs: Record<string, Record<string, unknown>>,
): JsonLike {
  if (typeof value === 'string') {
    const lookup = (expr: string): unknown => {
      const parameter = /^parameters\.(\w+)$/.exec(expr.trim());
      if (parameter) return parameters[parameter[1]];
      // steps.<id>.output.<key> or steps['<id>'].output.<key>
      const stepOutput =
        /^steps(?:\.([\w]+)|\['([\w-]+)'\])\.output\.(\w+)$/.exec(expr.trim());
      if (stepOutput) {
        const [, id, quotedId, key] = stepOutput;
        return stepOutputs[id ?? quotedId]?.[key];
      }
      throw new Error(`unsupported expression \${{ ${expr} }}`);
    };
    const whole = /^\$\{\{([^}]*)\}\}$/.exec(value);
    if (whole) return lookup(whole[1]);
    return value.replace(/\$\{\{([^}]*)\}\}/g, (_, expr: string) =>
      String(lookup(expr)),
    );
  }
  if (Array.isArray(value)) {
    return value.map(v => resolveInput(v, parameters, stepOutputs));
  }
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [
        k,
        resolveInput(v, parameters, stepOutputs),
      ]),
    );
  }
  return value;
}

interface Step {
  id: string;
  action: string;
  input: Record<string, JsonLike>;
}

interface RunResult {
  variant: Variant['name'];
  serviceName: string;
  steps: Record<string, number>;
  totalMs: number;
  outputs: Record<string, Record<string, unknown>>;
  log: string[];
}

const credentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: INITIATOR },
} as BackstageCredentials;

async function runTask(options: {
  run: number;
  variant: Variant;
  steps: Step[];
  actions: Map<string, AnyAction>;
  scratch: string;
  /** Called after each step, to see the sandboxes it started. */
  afterStep?: () => void;
}): Promise<RunResult> {
  const { run, variant, steps, actions, scratch } = options;
  const serviceName = variant.serviceName(run);
  const parameters = sampleValues(serviceName);
  const workspacePath = mkdtempSync(join(scratch, 'workspace-'));
  const stored = new Map<string, unknown>();
  const log: string[] = [];
  const logger = taskLogger(log);
  const outputs: Record<string, Record<string, unknown>> = {};
  const timings: Record<string, number> = {};
  for (const step of steps) {
    const action = actions.get(step.action)!;
    const stepOutput: Record<string, unknown> = {};
    outputs[step.id] = stepOutput;
    const ctx: ActionContext<any, any> = {
      logger,
      workspacePath,
      input: resolveInput(step.input, parameters, outputs) as any,
      async checkpoint(opts: { key: string; fn: () => any }) {
        if (stored.has(opts.key)) return stored.get(opts.key) as any;
        const value = await opts.fn();
        stored.set(opts.key, JSON.parse(JSON.stringify(value ?? null)));
        return value;
      },
      output(name: string | number | symbol, value: unknown) {
        stepOutput[String(name)] = value;
      },
      createTemporaryDirectory: async () => mkdtempSync(join(scratch, 'tmp-')),
      getInitiatorCredentials: async () => credentials,
      task: { id: `bench-task-${variant.name}-${run}` },
      templateInfo: {
        entityRef: `template:default/${templateName}`,
        baseUrl: pathToFileURL(templateFile).href,
      },
      user: { ref: INITIATOR },
      isDryRun: false,
      step: { id: step.id, name: step.id },
    };
    const started = performance.now();
    await action.handler(ctx);
    timings[step.id] = performance.now() - started;
    options.afterStep?.();
    if (step.action === 'fetch:template') variant.afterRender?.(workspacePath);
  }
  const totalMs = Object.values(timings).reduce((a, b) => a + b, 0);
  rmSync(workspacePath, { recursive: true, force: true });
  return {
    variant: variant.name,
    serviceName,
    steps: timings,
    totalMs,
    outputs,
    log,
  };
}

/** Checks that a run did what the portal's task does. */
function checkRun(
  result: RunResult,
  permissionRequests: ReturnType<typeof allowAllPermissions>['requests'],
) {
  const text = result.log.join('\n');
  const entityRef = `component:default/${result.serviceName}`;
  const problems: string[] = [];
  if (!/Safety policy: 0 finding\(s\)/.test(text)) {
    problems.push('no "Safety policy: 0 finding(s)" in the log');
  }
  const summaries = text.match(/Synthesized sample-dev: \d+ resources.*/g);
  if (summaries?.length !== 2) {
    problems.push('no synthesis summaries of sample-dev (synth, deploy)');
  }
  const sandboxed =
    text.match(/Synthesizing in a sandbox: the manifest's extension/g)
      ?.length ?? 0;
  const topics = summaries?.filter(s => s.includes('AWS::SNS::Topic')).length;
  if (result.variant === 'extension' && (sandboxed !== 2 || topics !== 2)) {
    problems.push(
      `synth and deploy should both run the extension in a sandbox (sandboxed ${sandboxed}, with its topic ${topics})`,
    );
  }
  if (result.variant === 'manifest' && (sandboxed !== 0 || topics !== 0)) {
    problems.push('the manifest variant ran an extension');
  }
  const deploy = result.outputs.deploy ?? {};
  if (deploy.deployedToAws !== false || !deploy.environmentId) {
    problems.push(`unexpected deploy outputs ${JSON.stringify(deploy)}`);
  }
  if (result.outputs['register-local']?.entityRef !== entityRef) {
    problems.push(`register-local did not output ${entityRef}`);
  }
  if (!result.outputs['publish-local']?.remoteUrl) {
    problems.push('publish-local produced no remoteUrl');
  }
  if (
    !permissionRequests.some(
      r =>
        r.permission === 'stackyard.environment.deploy' &&
        r.resourceRef === entityRef &&
        r.user === INITIATOR,
    )
  ) {
    problems.push(
      `no deploy permission asked for ${entityRef} as ${INITIATOR}`,
    );
  }
  if (problems.length > 0) {
    throw new Error(
      `the ${result.variant} task did not complete as expected: ${problems.join(
        '; ',
      )}`,
    );
  }
}

function percentile(sorted: number[], p: number): number {
  const rank = Math.ceil((p / 100) * sorted.length) - 1;
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank))];
}

function summarize(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median =
    sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return {
    median,
    p95: percentile(sorted, 95),
    min: sorted[0],
    max: sorted[sorted.length - 1],
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(0)} MiB`;
const ms = (n: number) => `${n.toFixed(0)} ms`;
const load = () =>
  os
    .loadavg()
    .map(l => l.toFixed(2))
    .join(' ');

/** Whether process `pid` is still alive. */
function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function main() {
  if (!Number.isInteger(WARM_RUNS) || WARM_RUNS < 1) {
    throw new Error(`--runs must be a positive integer, got ${WARM_RUNS}`);
  }
  const loadAtStart = load();
  const processStart = performance.now();
  const scratch = mkdtempSync(join(os.tmpdir(), 'stackyard-bench-'));
  const publishDir = join(scratch, 'repos');

  const config = new ConfigReader({
    app: { baseUrl: 'http://localhost:3000' },
    stackyard: {
      targets: [{ name: 'local', type: 'local' }],
      scaffolder: { localPublishDirectory: publishDir },
    },
    scaffolder: {
      defaultAuthor: { name: 'Stackyard bench', email: 'bench@example.com' },
    },
  });
  const actionsConfig = readStackyardActionsConfig(config);
  const environments = new FakeStackyardEnvironments();
  const catalog = await startLoopbackCatalog();
  const permissions = allowAllPermissions();
  const auth = {
    getPluginRequestToken: async () => ({ token: 'bench-token' }),
  } as unknown as AuthService;
  const discovery: DiscoveryService = {
    getBaseUrl: async () => catalog.baseUrl,
    getExternalBaseUrl: async () => catalog.baseUrl,
  };
  // As src/module.ts: one pool, pre-warmed (its first spare starts now).
  const sandbox = MANIFEST_ONLY ? undefined : SandboxPool.create();
  const extensions: ServiceExtensions | undefined = sandbox && {
    sandbox,
    catalog: catalogTemplates({ auth, discovery }),
    syntheses: new SandboxResultCache(),
  };
  const sandboxPids = new Set<number>();
  const seeSandboxes = () => sandbox?.pids.forEach(p => sandboxPids.add(p));
  const settle = () =>
    sandbox ? untilSandboxesIdle(sandbox, sandboxPids) : Promise.resolve();

  const results: RunResult[] = [];
  let peakRss = process.memoryUsage().rss;
  let rssAfterCold = 0;
  let setupMs = 0;
  let poolWarmMs: number | undefined;
  const variants = MANIFEST_ONLY ? VARIANTS.slice(0, 1) : VARIANTS;
  let steps: Step[] = [];
  try {
    const actions = new Map<string, AnyAction>(
      [
        portalFetchTemplateAction(),
        createPrefixResolveAction(),
        createCdkSynthAction({ extensions }),
        createPublishLocalAction({
          config: actionsConfig,
          defaultAuthor: {
            name: config.getOptionalString('scaffolder.defaultAuthor.name'),
            email: config.getOptionalString('scaffolder.defaultAuthor.email'),
          },
        }),
        createCatalogRegisterLocalAction({
          config: actionsConfig,
          auth,
          discovery,
        }),
        createCdkDeployAction({
          config: actionsConfig,
          environments,
          deployer: ToolkitCdkDeployer.fromConfig(config, { sandbox }),
          extensions,
          permissions: permissions.service,
          auth,
          discovery,
        }),
      ].map(a => [a.id, a as AnyAction]),
    );

    const template = parse(readFileSync(templateFile, 'utf8'));
    steps = template.spec.steps.filter(runsOnLocalPath).map((s: any) => ({
      id: s.id,
      action: s.action,
      input: s.input ?? {},
    }));
    for (const step of steps) {
      if (!actions.has(step.action)) {
        throw new Error(
          `step ${step.id} uses ${step.action}, which the benchmark does not provide`,
        );
      }
    }
    setupMs = performance.now() - processStart;
    // The portal creates the pool at startup, long before the first task.
    await settle();
    if (sandbox) poolWarmMs = performance.now() - processStart;

    for (let run = 0; run <= WARM_RUNS; run++) {
      // Alternating order, so that neither variant always goes first.
      const order = run % 2 ? [...variants].reverse() : variants;
      for (const variant of order) {
        await settle();
        const result = await runTask({
          run,
          variant,
          steps,
          actions,
          scratch,
          afterStep: seeSandboxes,
        });
        checkRun(result, permissions.requests);
        results.push(result);
        const rss = process.memoryUsage().rss;
        peakRss = Math.max(peakRss, rss);
        if (run === 0) rssAfterCold = rss;
        if (!JSON_OUT) {
          process.stdout.write(
            `${run === 0 ? 'cold' : `warm ${run}`} ${variant.name}: ${ms(
              result.totalMs,
            )} (${steps
              .map(s => `${s.id} ${ms(result.steps[s.id])}`)
              .join(', ')})\n`,
          );
        }
      }
    }
  } finally {
    await sandbox?.close();
    await catalog.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  const leaked = [...sandboxPids].filter(alive);
  if (leaked.length > 0) {
    throw new Error(`sandbox processes left after close: ${leaked}`);
  }
  if (catalog.locations.length !== results.length) {
    throw new Error(
      `the catalog got ${catalog.locations.length} locations for ${results.length} tasks`,
    );
  }
  const rssAtEnd = process.memoryUsage().rss;
  const maxRss = process.resourceUsage().maxRSS * 1024;

  const report = variants.map(variant => {
    const [cold, ...warm] = results.filter(r => r.variant === variant.name);
    const rows = [
      ...steps.map(s => ({
        name: `${s.id} (${s.action})`,
        cold: cold.steps[s.id],
        warm: summarize(warm.map(r => r.steps[s.id])),
      })),
      {
        name: 'whole task',
        cold: cold.totalMs,
        warm: summarize(warm.map(r => r.totalMs)),
      },
    ];
    return { variant: variant.name, warmRuns: warm.length, rows };
  });
  const [manifest, extension] = report;
  const total = manifest.rows[manifest.rows.length - 1].warm;
  const comparison = extension && {
    rows: manifest.rows.map((row, i) => {
      const manifestMedian = row.warm.median;
      const extensionMedian = extension.rows[i].warm.median;
      return {
        name: row.name,
        manifestMedian,
        extensionMedian,
        ratio:
          manifestMedian > 0 ? extensionMedian / manifestMedian : undefined,
      };
    }),
    targetRatio: EXTENSION_TARGET_RATIO,
  };
  const wholeRatio = comparison?.rows[comparison.rows.length - 1].ratio;
  const pass =
    wholeRatio === undefined ? undefined : wholeRatio <= EXTENSION_TARGET_RATIO;
  const machine = {
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    cpus: `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'unknown'}`,
    memory: mib(os.totalmem()),
    git: (() => {
      try {
        return execFileSync('git', ['--version'], { encoding: 'utf8' }).trim();
      } catch {
        return 'unknown';
      }
    })(),
  };
  const summary = {
    template: templateName,
    target: 'local',
    environments: 'in-memory StackyardEnvironments (no stackyard backend)',
    permissions: 'allow-all stand-in',
    setupMs,
    poolWarmMs,
    sandboxProcesses: { started: sandboxPids.size, leftAfterClose: 0 },
    variants: report,
    comparison: comparison && {
      ...comparison,
      wholeTaskRatio: wholeRatio,
      pass,
    },
    rss: {
      afterCold: rssAfterCold,
      peak: Math.max(peakRss, maxRss),
      end: rssAtEnd,
    },
    loadAverage: { start: loadAtStart, end: load() },
    machine,
    target2s: total.median <= 2000,
  };
  if (JSON_OUT) {
    process.stdout.write(`${JSON.stringify(summary, null, 2)}\n`);
    return;
  }

  const pad = (s: string, n: number) => s.padEnd(n);
  const padL = (s: string, n: number) => s.padStart(n);
  const width = Math.max(...manifest.rows.map(r => r.name.length));
  const table = (v: (typeof report)[number]) => [
    `${v.variant}:`,
    `${pad('step', width)}  ${padL('cold', 8)}  ${padL('median', 8)}  ${padL(
      'p95',
      8,
    )}  ${padL('min', 8)}  ${padL('max', 8)}`,
    ...v.rows.map(
      r =>
        `${pad(r.name, width)}  ${padL(ms(r.cold), 8)}  ${padL(
          ms(r.warm.median),
          8,
        )}  ${padL(ms(r.warm.p95), 8)}  ${padL(ms(r.warm.min), 8)}  ${padL(
          ms(r.warm.max),
          8,
        )}`,
    ),
    '',
  ];
  const ratio = (r: number | undefined) =>
    r === undefined ? '-' : `${r.toFixed(2)}×`;
  process.stdout.write(
    [
      '',
      `create-service task: templates/${templateName} on the local target`,
      'environments recorded in memory through StackyardEnvironments (no stackyard backend, no database); permissions: allow-all stand-in',
      `${machine.node}, ${machine.platform}, ${machine.cpus}, ${machine.memory}, ${machine.git}`,
      `module load and action setup: ${ms(setupMs)}${
        poolWarmMs === undefined
          ? ''
          : `; sandbox pool's first spare warm ${ms(poolWarmMs)} after start`
      }`,
      `warm runs per variant: ${manifest.warmRuns}${
        extension ? ' (variants interleaved, order alternating)' : ''
      }`,
      '',
      ...report.flatMap(table),
      ...(comparison
        ? [
            'warm medians, extension (sandbox) vs manifest (in-process):',
            `${pad('step', width)}  ${padL('manifest', 9)}  ${padL(
              'extension',
              9,
            )}  ${padL('ratio', 6)}`,
            ...comparison.rows.map(
              r =>
                `${pad(r.name, width)}  ${padL(
                  ms(r.manifestMedian),
                  9,
                )}  ${padL(ms(r.extensionMedian), 9)}  ${padL(
                  ratio(r.ratio),
                  6,
                )}`,
            ),
            `${pass ? 'PASS' : 'FAIL'}: extension whole task ${ratio(
              wholeRatio,
            )} the manifest-only warm median (target ≤ ${EXTENSION_TARGET_RATIO}×)`,
            `sandbox processes: ${sandboxPids.size} seen, none left after the pool closed`,
            '',
          ]
        : []),
      `RSS (bench process): ${mib(rssAfterCold)} after the cold runs, ${mib(
        summary.rss.peak,
      )} peak, ${mib(rssAtEnd)} at the end`,
      `load average (1, 5, 15 min): ${loadAtStart} at start, ${summary.loadAverage.end} at end`,
      `manifest warm median ${ms(total.median)}: ${
        summary.target2s ? 'meets' : 'misses'
      } the 2 s target`,
      '',
    ].join('\n'),
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
