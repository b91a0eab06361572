import { createHash, Hash } from 'crypto';
import { lstatSync, readFileSync, readdirSync } from 'fs';
import { join } from 'path';
import { copiedIntoSandbox } from './SandboxPool';

/** Options of {@link SandboxResultCache}. */
export interface SandboxResultCacheOptions {
  /**
   * How many answers are kept; the least recently used goes first.
   *
   * @default 16
   */
  readonly maxEntries?: number;
  /**
   * How long an answer may be reused, in milliseconds.
   *
   * @default 600000
   */
  readonly ttlMs?: number;
}

/** A JSON text of `value` with object keys sorted, so equal inputs hash alike. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.entries(value)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

/** Hashes what a sandbox's copy of `dir` holds: relative paths, kinds and bytes. */
function hashCopiedFiles(hash: Hash, dir: string): void {
  const copied = copiedIntoSandbox(dir);
  const walk = (path: string, relative: string) => {
    for (const name of readdirSync(path).sort()) {
      const source = join(path, name);
      if (!copied(source)) continue;
      const entry = relative ? `${relative}/${name}` : name;
      const stat = lstatSync(source);
      if (stat.isDirectory()) {
        hash.update(`d\0${entry}\0`);
        walk(source, entry);
      } else if (stat.isFile()) {
        const bytes = readFileSync(source);
        hash.update(`f\0${entry}\0${bytes.length}\0`);
        hash.update(bytes);
      } else {
        // A device, pipe or socket: never read (it could block).
        hash.update(`o\0${entry}\0`);
      }
    }
  };
  if (copied(dir)) walk(dir, '');
}

/**
 * Answers of sandbox jobs, to reuse for identical inputs: the synth and
 * deploy steps of one scaffolder task synthesize the same app, and a second
 * sandbox would only repeat the first one's work (and wait for a spare to
 * warm up). Keyed by a SHA-256 over exactly what the sandbox would get: the
 * files of its copy of the directory (paths and bytes) and the job's input.
 * Bounded in entries and age. It holds data only: whatever judges an answer
 * (the safety policy) still runs on every use.
 */
export class SandboxResultCache {
  private readonly entries = new Map<string, { value: unknown; at: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;

  constructor(options: SandboxResultCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 16;
    this.ttlMs = options.ttlMs ?? 600_000;
  }

  /** The key of a job over `dir`: a SHA-256 of the files it would get and of `job`. */
  static key(dir: string, job: unknown): string {
    const hash = createHash('sha256');
    hash.update(`job\0${canonical(job)}\0`);
    hashCopiedFiles(hash, dir);
    return hash.digest('hex');
  }

  /** A copy of the answer stored under `key`, and its age, unless absent or expired. */
  get<T>(key: string): { value: T; ageMs: number } | undefined {
    const entry = this.entries.get(key);
    if (!entry) return undefined;
    const ageMs = Date.now() - entry.at;
    this.entries.delete(key);
    if (ageMs > this.ttlMs) return undefined;
    this.entries.set(key, entry);
    return { value: structuredClone(entry.value) as T, ageMs };
  }

  /** Stores a copy of an answer (plain data) under `key`. */
  set(key: string, value: unknown): void {
    this.entries.delete(key);
    this.entries.set(key, { value: structuredClone(value), at: Date.now() });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  /** How many answers are kept now (expired ones included until looked up). */
  get size(): number {
    return this.entries.size;
  }
}
