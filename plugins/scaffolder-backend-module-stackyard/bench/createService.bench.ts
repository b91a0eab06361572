/*
 * Benchmark: the whole create-service task of `templates/serverless-service`
 * on the `local` target, in-process.
 *
 *   npm run bench --workspace @stackyard/plugin-scaffolder-backend-module-stackyard
 *   npm run bench --workspace @stackyard/plugin-scaffolder-backend-module-stackyard -- --runs 50
 *
 * Every run is one task: a fresh workspace, then each step of the template's
 * `spec.steps` in order, with its input resolved from sample form values and
 * earlier step outputs, through the same action handlers the portal
 * registers:
 *
 *   render   fetch:template (from @backstage/plugin-scaffolder-backend, as the
 *            portal's backend registers it) renders the skeleton
 *   prefix   stackyard:prefix:resolve
 *   synth    stackyard:cdk:synth: in-process synthesis + safety policy
 *   publish  stackyard:publish:local: a git repository in a temp directory
 *   register stackyard:catalog:register-local: POSTs the location to a
 *            loopback HTTP server standing in for the catalog (201; the
 *            catalog's own ingestion is not measured)
 *   deploy   stackyard:cdk:deploy on the local target: synthesis + policy,
 *            then the environment recorded (deploying, ready)
 *
 * Steps of the GitHub/GitLab publish path (their `if:` does not hold for
 * `publishTo: local`) are skipped, as the scaffolder skips them.
 *
 * Environments are recorded through the module's `StackyardEnvironments`
 * interface, implemented in memory (no stackyard backend, no database). Not
 * measured: the scaffolder's task queue and database writes, and the nunjucks
 * templating of step inputs (a small resolver stands in for it).
 *
 * The first run is reported as cold; the following runs (20 by default) as
 * warm: median and p95 per step and for the whole task.
 */
import { execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type {
  BackstageCredentials,
  LoggerService,
  UrlReaderService,
} from '@backstage/backend-plugin-api';
import { ConfigReader } from '@backstage/config';
import type {
  ActionContext,
  TemplateAction,
} from '@backstage/plugin-scaffolder-node';
import { parse } from 'yaml';
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

/** The template's sample answers (its check-values.yaml), named `name`. */
const sampleValues = (name: string): Record<string, string> => ({
  ...parse(readFileSync(join(templateDir, 'check-values.yaml'), 'utf8')).values,
  name,
});

/** Whether a step runs for `publishTo: local` (the default publish path). */
function runsOnLocalPath(step: { if?: string }): boolean {
  return !step.if || step.if.includes("parameters.publishTo == 'local'");
}

/**
 * A loopback stand-in for the catalog's `POST /locations`, and for the read
 * of the registered entity the step waits for, served at once (the catalog's
 * own processing is not measured).
 */
async function startLoopbackCatalog() {
  const locations: unknown[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      if (
        req.method === 'GET' &&
        req.url?.startsWith('/api/catalog/entities/by-name/')
      ) {
        res.writeHead(locations.length > 0 ? 200 : 404).end('{}');
        return;
      }
      if (req.method !== 'POST' || req.url !== '/api/catalog/locations') {
        res.writeHead(404).end();
        return;
      }
      locations.push(JSON.parse(Buffer.concat(chunks).toString('utf8')));
      res
        .writeHead(201, { 'content-type': 'application/json' })
        .end('{"entities":[]}');
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}/api/catalog`,
    locations,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
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
  steps: Record<string, number>;
  totalMs: number;
  outputs: Record<string, Record<string, unknown>>;
  log: string[];
}

const credentials = {
  $$type: '@backstage/BackstageCredentials',
  principal: { type: 'user', userEntityRef: 'user:default/guest' },
} as BackstageCredentials;

async function runTask(options: {
  run: number;
  steps: Step[];
  actions: Map<string, AnyAction>;
  scratch: string;
}): Promise<RunResult> {
  const { run, steps, actions, scratch } = options;
  const parameters = sampleValues(`bench-svc-${run}`);
  const workspacePath = mkdtempSync(join(scratch, 'workspace-'));
  const stored = new Map<string, unknown>();
  const log: string[] = [];
  const logger = taskLogger(log);
  const outputs: Record<string, Record<string, unknown>> = {};
  const timings: Record<string, number> = {};
  const taskStart = performance.now();
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
      task: { id: `bench-task-${run}` },
      templateInfo: {
        entityRef: `template:default/${templateName}`,
        baseUrl: pathToFileURL(templateFile).href,
      },
      user: { ref: 'user:default/guest' },
      isDryRun: false,
      step: { id: step.id, name: step.id },
    };
    const started = performance.now();
    await action.handler(ctx);
    timings[step.id] = performance.now() - started;
  }
  const totalMs = performance.now() - taskStart;
  rmSync(workspacePath, { recursive: true, force: true });
  return { steps: timings, totalMs, outputs, log };
}

/** Checks that a run did what the portal's task does. */
function checkRun(result: RunResult) {
  const text = result.log.join('\n');
  const problems: string[] = [];
  if (!/Safety policy: 0 finding\(s\)/.test(text)) {
    problems.push('no "Safety policy: 0 finding(s)" in the log');
  }
  if (!/Synthesized sample-dev: \d+ resources/.test(text)) {
    problems.push('no synthesis summary for sample-dev in the log');
  }
  const deploy = result.outputs.deploy ?? {};
  if (deploy.deployedToAws !== false || !deploy.environmentId) {
    problems.push(`unexpected deploy outputs ${JSON.stringify(deploy)}`);
  }
  if (!result.outputs['register-local']?.entityRef) {
    problems.push('register-local produced no entityRef');
  }
  if (!result.outputs['publish-local']?.remoteUrl) {
    problems.push('publish-local produced no remoteUrl');
  }
  if (problems.length > 0) {
    throw new Error(`the task did not complete as expected: ${problems}`);
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
  const actions = new Map<string, AnyAction>(
    [
      portalFetchTemplateAction(),
      createPrefixResolveAction(),
      createCdkSynthAction(),
      createPublishLocalAction({
        config: actionsConfig,
        defaultAuthor: {
          name: config.getOptionalString('scaffolder.defaultAuthor.name'),
          email: config.getOptionalString('scaffolder.defaultAuthor.email'),
        },
      }),
      createCatalogRegisterLocalAction({
        config: actionsConfig,
        auth: {
          getPluginRequestToken: async () => ({ token: 'bench-token' }),
        } as any,
        discovery: {
          getBaseUrl: async () => catalog.baseUrl,
          getExternalBaseUrl: async () => catalog.baseUrl,
        },
      }),
      createCdkDeployAction({
        config: actionsConfig,
        environments,
        deployer: ToolkitCdkDeployer.fromConfig(config),
      }),
    ].map(a => [a.id, a as AnyAction]),
  );

  const template = parse(readFileSync(templateFile, 'utf8'));
  const steps: Step[] = template.spec.steps
    .filter(runsOnLocalPath)
    .map((s: any) => ({
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
  const setupMs = performance.now() - processStart;

  const results: RunResult[] = [];
  let peakRss = process.memoryUsage().rss;
  let rssAfterCold = 0;
  try {
    for (let run = 0; run <= WARM_RUNS; run++) {
      const result = await runTask({ run, steps, actions, scratch });
      checkRun(result);
      results.push(result);
      const rss = process.memoryUsage().rss;
      peakRss = Math.max(peakRss, rss);
      if (run === 0) rssAfterCold = rss;
      if (!JSON_OUT) {
        process.stdout.write(
          `${run === 0 ? 'cold' : `warm ${run}`}: ${ms(result.totalMs)} (${steps
            .map(s => `${s.id} ${ms(result.steps[s.id])}`)
            .join(', ')})\n`,
        );
      }
    }
  } finally {
    await catalog.close();
    rmSync(scratch, { recursive: true, force: true });
  }
  if (catalog.locations.length !== results.length) {
    throw new Error(
      `the catalog got ${catalog.locations.length} locations for ${results.length} tasks`,
    );
  }
  const rssAtEnd = process.memoryUsage().rss;
  const maxRss = process.resourceUsage().maxRSS * 1024;

  const [cold, ...warm] = results;
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
  const total = rows[rows.length - 1].warm;
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
    warmRuns: warm.length,
    setupMs,
    rows,
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
  const width = Math.max(...rows.map(r => r.name.length));
  process.stdout.write(
    [
      '',
      `create-service task: templates/${templateName} on the local target, in-process`,
      'environments recorded in memory through StackyardEnvironments (no stackyard backend, no database)',
      `${machine.node}, ${machine.platform}, ${machine.cpus}, ${machine.memory}, ${machine.git}`,
      `module load and action setup: ${ms(setupMs)}`,
      '',
      `${pad('step', width)}  ${padL('cold', 8)}  ${padL('median', 8)}  ${padL(
        'p95',
        8,
      )}  ${padL('min', 8)}  ${padL('max', 8)}`,
      ...rows.map(
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
      `warm runs: ${warm.length}`,
      `RSS: ${mib(rssAfterCold)} after the cold run, ${mib(
        summary.rss.peak,
      )} peak, ${mib(rssAtEnd)} at the end`,
      `load average (1, 5, 15 min): ${loadAtStart} at start, ${summary.loadAverage.end} at end`,
      `warm median ${ms(total.median)}: ${
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
