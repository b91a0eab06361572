/**
 * The benchmark's results in one object: per variant, cold and warm times per
 * step and for the whole task, the variants compared, RSS, load and machine.
 * It is what --json prints and what the text report reads.
 */
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import { EXTENSION_TARGET_RATIO } from './options';
import type { RunResult } from './runTask';
import { load, mib, summarize } from './stats';
import { templateName, type Step } from './template';
import type { Variant } from './variants';

export interface Measurements {
  variants: readonly Variant[];
  steps: Step[];
  results: RunResult[];
  /** From process start to the actions built. */
  setupMs: number;
  /** From process start to the sandbox pool's first spare warm. */
  poolWarmMs?: number;
  /** Sandbox processes seen (none is left: the bench checked). */
  sandboxesSeen: number;
  rss: { afterCold: number; peak: number; end: number };
  loadAtStart: string;
}

export function buildSummary(m: Measurements) {
  const { steps, results } = m;
  const report = m.variants.map(variant => {
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
  return {
    template: templateName,
    target: 'local',
    environments: 'in-memory StackyardEnvironments (no stackyard backend)',
    permissions: 'allow-all stand-in',
    setupMs: m.setupMs,
    poolWarmMs: m.poolWarmMs,
    sandboxProcesses: { started: m.sandboxesSeen, leftAfterClose: 0 },
    variants: report,
    comparison: comparison && {
      ...comparison,
      wholeTaskRatio: wholeRatio,
      pass,
    },
    rss: m.rss,
    loadAverage: { start: m.loadAtStart, end: load() },
    machine,
    target2s: total.median <= 2000,
  };
}

export type Summary = ReturnType<typeof buildSummary>;
