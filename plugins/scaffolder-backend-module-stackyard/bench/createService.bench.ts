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
 *
 * This file wires the parts in createService/: options (command line),
 * template (its steps and sample values), variants, actions (the handlers),
 * loopbackCatalog and standIns, sandboxes (idle wait, leak check), runTask
 * (with resolveInput), checkRun, then summary, stats and report.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { DiscoveryService } from '@backstage/backend-plugin-api';
import { SandboxPool, SandboxResultCache } from '@stackyard/cdk-guardrails';
import { FakeStackyardEnvironments } from '../src/__testUtils__/fakes';
import {
  catalogTemplates,
  type ServiceExtensions,
} from '../src/lib/extensions';
import { benchConfig, createActions } from './createService/actions';
import { checkRun } from './createService/checkRun';
import { startLoopbackCatalog } from './createService/loopbackCatalog';
import { JSON_OUT, MANIFEST_ONLY, WARM_RUNS } from './createService/options';
import { formatReport } from './createService/report';
import { runTask, type RunResult } from './createService/runTask';
import { alive, untilSandboxesIdle } from './createService/sandboxes';
import { allowAllPermissions, fixedTokenAuth } from './createService/standIns';
import { load, ms } from './createService/stats';
import { buildSummary } from './createService/summary';
import { templateSteps, type Step } from './createService/template';
import { VARIANTS } from './createService/variants';

async function main() {
  if (!Number.isInteger(WARM_RUNS) || WARM_RUNS < 1) {
    throw new Error(`--runs must be a positive integer, got ${WARM_RUNS}`);
  }
  const loadAtStart = load();
  const processStart = performance.now();
  const scratch = mkdtempSync(join(os.tmpdir(), 'stackyard-bench-'));
  const config = benchConfig(join(scratch, 'repos'));
  const environments = new FakeStackyardEnvironments();
  const catalog = await startLoopbackCatalog();
  const permissions = allowAllPermissions();
  const auth = fixedTokenAuth();
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
    const actions = createActions({
      config,
      sandbox,
      extensions,
      environments,
      permissions: permissions.service,
      auth,
      discovery,
    });
    steps = templateSteps();
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

  const summary = buildSummary({
    variants,
    steps,
    results,
    setupMs,
    poolWarmMs,
    sandboxesSeen: sandboxPids.size,
    rss: {
      afterCold: rssAfterCold,
      peak: Math.max(peakRss, maxRss),
      end: rssAtEnd,
    },
    loadAtStart,
  });
  process.stdout.write(
    JSON_OUT ? `${JSON.stringify(summary, null, 2)}\n` : formatReport(summary),
  );
}

main().catch(error => {
  process.stderr.write(`${error?.stack ?? error}\n`);
  process.exitCode = 1;
});
