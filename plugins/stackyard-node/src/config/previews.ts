import type { Config } from '@backstage/config';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { configError } from './checks';

/** How local previews run (`stackyard.previews.*`). */
export interface PreviewsConfig {
  /** A preview unused this long sleeps (its runner stops) until next used. */
  readonly idleMs: number;
  /** At most this many previews run at once; more are refused (429). */
  readonly maxRunning: number;
  /** Heap cap of each preview's runner process, in MiB. */
  readonly memoryMb: number;
  /** Absolute directory holding each preview's checkout and data. */
  readonly dataDirectory: string;
  /** Multiplies queue visibility timeouts and delays (1 = as deployed). */
  readonly queueTimeScale: number;
}

function positiveInteger(
  config: Config,
  key: string,
  fallback: number,
  max: number,
): number {
  const value = config.getOptionalNumber(key) ?? fallback;
  if (!Number.isInteger(value) || value < 1 || value > max) {
    throw configError(key, value, `must be a whole number from 1 to ${max}`);
  }
  return value;
}

/** Reads and checks `stackyard.previews.*` (the keys of running previews). */
export function readPreviewsConfig(config: Config): PreviewsConfig {
  const dir = config.getOptionalString('stackyard.previews.dataDirectory');
  const queueTimeScale =
    config.getOptionalNumber('stackyard.previews.queueTimeScale') ?? 1;
  if (!(queueTimeScale >= 0.001 && queueTimeScale <= 1)) {
    throw configError(
      'stackyard.previews.queueTimeScale',
      queueTimeScale,
      'must be a number from 0.001 to 1',
    );
  }
  return {
    idleMs:
      positiveInteger(
        config,
        'stackyard.previews.idleMinutes',
        15,
        7 * 24 * 60,
      ) * 60_000,
    maxRunning: positiveInteger(
      config,
      'stackyard.previews.maxRunning',
      5,
      1000,
    ),
    memoryMb: positiveInteger(config, 'stackyard.previews.memoryMb', 128, 8192),
    dataDirectory: dir ? resolve(dir) : join(tmpdir(), 'stackyard-previews'),
    queueTimeScale,
  };
}
