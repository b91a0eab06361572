import type { LoggerService } from '@backstage/backend-plugin-api';
import type { TemplateUpgrade } from '@stackyard/plugin-stackyard-common';
import type { TemplateUpgradeStore } from './TemplateUpgradeStore';
import type { UpgradeEngine } from './UpgradeEngine';

/** Where one upgrade runs. */
export type UpgradeJob = {
  upgrade: TemplateUpgrade;
  /** A locally published repository, or… */
  repoDir?: string;
  /** …one on GitHub/GitLab. */
  repoUrl?: string;
  templateDir: string;
};

/**
 * Runs queued upgrades in the background, `concurrency` at a time (each
 * renders, merges and runs a service's tests: CPU-bound), recording every
 * step and the outcome in the store, where the Templates page reads them.
 */
export class TemplateUpgrader {
  private readonly queue: UpgradeJob[] = [];
  private running = 0;
  private readonly idleWaiters: (() => void)[] = [];

  constructor(
    private readonly options: {
      store: TemplateUpgradeStore;
      engine: UpgradeEngine;
      logger: LoggerService;
      /** Upgrades run at once. @default 2 */
      concurrency?: number;
    },
  ) {}

  /** Queues the job; it runs when a slot is free. */
  enqueue(job: UpgradeJob): void {
    this.queue.push(job);
    this.pump();
  }

  /** Resolves once no upgrade is queued or running. */
  idle(): Promise<void> {
    if (this.running === 0 && this.queue.length === 0) return Promise.resolve();
    return new Promise(resolve => this.idleWaiters.push(resolve));
  }

  private pump() {
    const limit = this.options.concurrency ?? 2;
    while (this.running < limit && this.queue.length > 0) {
      const job = this.queue.shift()!;
      this.running += 1;
      this.runOne(job).finally(() => {
        this.running -= 1;
        this.pump();
        if (this.running === 0 && this.queue.length === 0) {
          this.idleWaiters.splice(0).forEach(resolve => resolve());
        }
      });
    }
  }

  private async runOne(job: UpgradeJob): Promise<void> {
    const { store, engine, logger } = this.options;
    const { id, entityRef, toVersion } = job.upgrade;
    // Steps are written in the order reported, one after another.
    let written = store.progress(id, `Upgrading ${entityRef} to ${toVersion}`);
    const onProgress = (step: string) => {
      written = written.then(() => store.progress(id, step));
    };
    try {
      const result = await engine({
        repoDir: job.repoDir,
        repoUrl: job.repoUrl,
        templateDir: job.templateDir,
        templateName: job.upgrade.templateName,
        toVersion,
        onProgress,
      });
      await written;
      await store.finish(id, result);
    } catch (error) {
      await written.catch(() => undefined);
      const message = error instanceof Error ? error.message : String(error);
      logger.warn(`Upgrade of ${entityRef} to ${toVersion} failed: ${message}`);
      await store.finish(id, { error: message });
    }
  }
}
