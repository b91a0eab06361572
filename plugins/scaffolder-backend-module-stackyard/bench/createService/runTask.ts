/** Runs one task: each step's action handler in order, timed. */
import { mkdtempSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type {
  BackstageCredentials,
  LoggerService,
} from '@backstage/backend-plugin-api';
import type { ActionContext } from '@backstage/plugin-scaffolder-node';
import type { AnyAction } from './actions';
import { INITIATOR, VERBOSE } from './options';
import { resolveInput } from './resolveInput';
import {
  sampleValues,
  templateFile,
  templateName,
  type Step,
} from './template';
import type { Variant } from './variants';

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

export interface RunResult {
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

/** Runs `variant`'s task of run `run` in a fresh workspace under `scratch`. */
export async function runTask(options: {
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
