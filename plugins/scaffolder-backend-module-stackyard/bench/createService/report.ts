/** The benchmark's text report: a table per variant, then the comparison. */
import { EXTENSION_TARGET_RATIO } from './options';
import { mib, ms } from './stats';
import type { Summary } from './summary';

export function formatReport(summary: Summary): string {
  const {
    variants: report,
    comparison,
    machine,
    setupMs,
    poolWarmMs,
    rss,
  } = summary;
  const [manifest, extension] = report;
  const total = manifest.rows[manifest.rows.length - 1].warm;
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
  return [
    '',
    `create-service task: templates/${summary.template} on the local target`,
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
              `${pad(r.name, width)}  ${padL(ms(r.manifestMedian), 9)}  ${padL(
                ms(r.extensionMedian),
                9,
              )}  ${padL(ratio(r.ratio), 6)}`,
          ),
          `${comparison.pass ? 'PASS' : 'FAIL'}: extension whole task ${ratio(
            comparison.wholeTaskRatio,
          )} the manifest-only warm median (target ≤ ${EXTENSION_TARGET_RATIO}×)`,
          `sandbox processes: ${summary.sandboxProcesses.started} seen, none left after the pool closed`,
          '',
        ]
      : []),
    `RSS (bench process): ${mib(rss.afterCold)} after the cold runs, ${mib(
      rss.peak,
    )} peak, ${mib(rss.end)} at the end`,
    `load average (1, 5, 15 min): ${summary.loadAverage.start} at start, ${summary.loadAverage.end} at end`,
    `manifest warm median ${ms(total.median)}: ${
      summary.target2s ? 'meets' : 'misses'
    } the 2 s target`,
    '',
  ].join('\n');
}
