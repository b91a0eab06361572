/** What a sandboxed process may touch on the file system. */
export interface SandboxFsAccess {
  /** Directories and files it may read. */
  readonly read: readonly string[];
  /** Directories it may write (and read). */
  readonly write: readonly string[];
}

/**
 * The flags that turn on Node's permission model for a child process, or
 * undefined when this Node has none (then nothing may run sandboxed).
 *
 * Node 22.13+ has `--permission`; Node 20 has `--experimental-permission`.
 * Both take one `--allow-fs-read` / `--allow-fs-write` flag per path (a
 * comma list is read as one path there). Child processes, worker threads,
 * native addons, the inspector and (on Node 22) WASI stay denied because no
 * `--allow-*` flag grants them. Node 25's `--allow-net` is left out too, so
 * where the model governs the network, it is denied.
 */
export function permissionFlags(
  access: SandboxFsAccess,
  allowed: ReadonlySet<string> = process.allowedNodeEnvironmentFlags,
): string[] | undefined {
  let enable: string;
  if (allowed.has('--permission')) {
    enable = '--permission';
  } else if (allowed.has('--experimental-permission')) {
    enable = '--experimental-permission';
  } else {
    return undefined;
  }
  const readable = [...new Set([...access.read, ...access.write])];
  return [
    enable,
    ...readable.map(p => `--allow-fs-read=${p}`),
    ...[...new Set(access.write)].map(p => `--allow-fs-write=${p}`),
  ];
}
