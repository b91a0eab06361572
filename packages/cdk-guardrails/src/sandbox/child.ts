import { mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseManifest } from '../manifest/loadManifest';
import { synthService } from '../synth/synthService';
import { SANDBOX_JOBS, WARM_UP_MANIFEST } from './jobs';
import { lockDown, permissionProblem } from './lockDown';
import { FromSandbox, ToSandbox, firstLine } from './protocol';

function send(message: FromSandbox): Promise<void> {
  return new Promise(resolve => {
    if (!process.send) {
      resolve();
      return;
    }
    process.send(message, undefined, {}, () => resolve());
  });
}

function failureOf(error: unknown): FromSandbox {
  const e = error as
    | { name?: unknown; issues?: unknown; cause?: unknown }
    | undefined;
  // toolkit-lib wraps errors of the app in an AssemblyError; the cause is the app's.
  const own =
    e?.name === 'AssemblyError' && e.cause instanceof Error
      ? (e.cause as typeof e)
      : e;
  const issues = Array.isArray(own?.issues)
    ? (own!.issues as { path?: unknown; message?: unknown }[]).map(i => ({
        path: String(i.path ?? ''),
        message: firstLine({ message: String(i.message ?? '') }),
      }))
    : undefined;
  return {
    type: 'failed',
    error: {
      name: typeof own?.name === 'string' ? own.name : 'Error',
      message: firstLine(own),
      ...(issues ? { issues } : {}),
    },
  };
}

async function finish(message: FromSandbox): Promise<never> {
  await send(message);
  process.disconnect?.();
  process.exit(0);
}

/**
 * The sandbox process: checks that the permission model confines it, closes
 * what the model leaves open, warms up (loads aws-cdk-lib and the guardrails
 * and synthesizes a small service), says it is ready, then runs exactly one
 * job and exits. It runs with an environment of its own (no credentials) and
 * can write only its own temporary directory.
 */
export async function runSandboxChild(): Promise<void> {
  const dir = tmpdir();
  const problem = permissionProblem(dir);
  if (problem) {
    await finish({ type: 'refused', reason: problem });
  }
  lockDown();
  const jobMessage = new Promise<ToSandbox>(resolve => {
    process.once('message', m => resolve(m as ToSandbox));
  });
  process.once('disconnect', () => process.exit(0));
  const warmDir = join(dir, 'warm-up');
  mkdirSync(warmDir);
  // A few synths, so the job's runs on compiled, not cold, code.
  const manifest = parseManifest(WARM_UP_MANIFEST);
  for (const stage of ['dev', 'prod', 'dev']) {
    await synthService({ appDir: warmDir, prefix: 'warm', stage, manifest });
  }
  await send({ type: 'ready' });
  const message = await jobMessage;
  const handler = SANDBOX_JOBS[message.job.kind];
  if (!handler) {
    await finish({
      type: 'failed',
      error: {
        name: 'Error',
        message: `unknown sandbox job ${JSON.stringify(message.job.kind)}`,
      },
    });
  }
  let answer: FromSandbox;
  try {
    answer = { type: 'result', value: await handler(message.dir, message.job) };
  } catch (e) {
    answer = failureOf(e);
  }
  await finish(answer);
}
