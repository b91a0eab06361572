import type { ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { resolve } from 'node:path';
import { freePort } from '@stackyard/test-support';
import type { LoopbackAws } from '@stackyard/test-support/aws';
import { artifactsDir } from './paths';
import { servedOn, startBackend } from './startBackend';
import { startLoopbackAws } from './startLoopbackAws';
import { stopProcessGroup } from './stopProcessGroup';
import { waitForReady } from './waitForReady';

/** How long one start may take, from spawn to readiness, on a loaded machine. */
const START_TIMEOUT_MS = 180_000;

/**
 * A portal backend of its own for one test file, restarted with another
 * guest identity (`auth.providers.guest.userEntityRef`) between steps, so a
 * browser test can act as several people. It keeps its state across
 * restarts in an SQLite directory of its own, serves the built frontend on
 * a port of its own, and its `e2e-aws` target is a loopback AWS endpoint
 * of its own (bootstrapped, so the wizard deploys to it through toolkit-lib).
 * `config` is merged over app-config.yaml and app-config.e2e.yaml.
 */
export class RestartablePortal {
  static async create(options: {
    /** Names the temporary directory and the log files. */
    name: string;
    config: object;
  }): Promise<RestartablePortal> {
    const dir = mkdtempSync(
      resolve(tmpdir(), `stackyard-e2e-${options.name}-`),
    );
    const aws = await startLoopbackAws(dir, fake => fake.bootstrap());
    const port = await freePort();
    const configFile = resolve(dir, 'app-config.portal.yaml');
    const publishDirectory = resolve(dir, 'repos');
    mkdirSync(publishDirectory);
    const config = {
      ...options.config,
      backend: {
        ...(options.config as { backend?: object }).backend,
        database: { connection: { directory: resolve(dir, 'sqlite') } },
      },
    };
    writeFileSync(configFile, JSON.stringify(config, null, 2));
    return new RestartablePortal(
      options.name,
      dir,
      port,
      aws.fake,
      [aws.configFile, configFile],
      publishDirectory,
    );
  }

  private backend?: ChildProcess;
  private starts = 0;

  private constructor(
    private readonly name: string,
    private readonly dir: string,
    readonly port: number,
    /** The loopback endpoint of the `e2e-aws` target. */
    readonly aws: LoopbackAws,
    private readonly configFiles: string[],
    /** Its `stackyard.scaffolder.localPublishDirectory`. */
    readonly publishDirectory: string,
  ) {}

  get baseUrl() {
    return `http://localhost:${this.port}`;
  }

  /**
   * Stops the running backend, if any, and starts it again signing every
   * guest in as `userEntityRef`; resolves once it is ready. The user's
   * groups come from the catalog once it has read the user.
   */
  async startAs(userEntityRef: string): Promise<void> {
    await this.stopBackend();
    this.starts += 1;
    const who = userEntityRef.replace(/^.*\//, '');
    const logFile = resolve(
      artifactsDir,
      `backend-${this.name}-${this.starts}-${who}.log`,
    );
    this.backend = startBackend({
      logFile,
      extraArgs: this.configFiles.flatMap(file => ['--config', file]),
      env: {
        ...servedOn(this.port),
        // Environment variables override config files, and globalSetup
        // set this one for the main portal.
        APP_CONFIG_stackyard_scaffolder_localPublishDirectory:
          this.publishDirectory,
        APP_CONFIG_auth_providers_guest_userEntityRef: userEntityRef,
        // Only while the catalog has not read the user yet.
        APP_CONFIG_auth_providers_guest_ownershipEntityRefs: JSON.stringify([
          userEntityRef,
        ]),
      },
    });
    try {
      await waitForReady(
        `${this.baseUrl}/.backstage/health/v1/readiness`,
        this.backend,
        { timeoutMs: START_TIMEOUT_MS },
      );
    } catch (error) {
      await this.stopBackend();
      throw new Error(`${error}; see ${logFile}`);
    }
  }

  /** Stops the backend and the loopback endpoint; removes the state. */
  async stop(): Promise<void> {
    await this.stopBackend();
    await this.aws.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }

  private async stopBackend() {
    if (this.backend) await stopProcessGroup(this.backend);
    this.backend = undefined;
  }
}
