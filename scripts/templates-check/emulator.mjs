// The emulator stage: a rendered repository's stackyard.yaml, unchanged,
// served by the real `stackyard-ws --manifest` CLI, and — for the channel
// protocol of websocket-service (subscribe on `$default`, a `publish` route)
// — a subscribe → publish round trip through `@connections` under the
// repository's own `npm run dev`. Returns what it proved, line by line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import WebSocket from 'ws';
import { renderedRepoEnv, startProcess } from './childProcess.mjs';
import { repoRoot, requireTs } from './require.mjs';

const { loadManifest } = requireTs('@stackyard/cdk-guardrails');

const CLI = join(repoRoot, 'packages/ws-emulator/bin/stackyard-ws');
// Both the CLI and the template's dev script print this line once listening.
const LISTENING = /^WebSocket API: (ws:\/\/\S+)$/m;

export class EmulatorFailure extends Error {}

const escapeRegExp = text => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

const lastLines = (text, n = 12) =>
  text.trim().split('\n').slice(-n).join('\n');

/** Opens a WebSocket: `{ ws }` once open, `{ status }` when refused. */
function connect(url, timeoutMs) {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no answer to the upgrade within ${timeoutMs / 1000}s`));
    }, timeoutMs);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve({ ws });
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      res.resume();
      ws.terminate();
      resolve({ status: res.statusCode });
    });
    ws.once('error', error => {
      clearTimeout(timer);
      reject(error);
    });
  });
}

/**
 * The real CLI on the unchanged manifest: it starts only when every route's
 * function loads from its code directory and handler; then a WebSocket
 * upgrade must reach the `$connect` route's function (accepted, or refused
 * by that function's own failure, which the CLI logs).
 */
async function serveWithCli(dir, routes, timeoutMs) {
  const cli = startProcess(
    process.execPath,
    [CLI, '--manifest', dir, '--host', '127.0.0.1', '--port', '0'],
    { cwd: dir, env: renderedRepoEnv() },
  );
  const proven = [];
  let stopped;
  try {
    let url;
    try {
      [, url] = await cli.waitFor(LISTENING, timeoutMs);
    } catch (error) {
      throw new EmulatorFailure(
        `stackyard-ws --manifest did not start (${error.message}):\n${lastLines(
          cli.output(),
        )}`,
      );
    }
    proven.push(
      `stackyard-ws --manifest served ${
        Object.keys(routes).length
      } route(s) of stackyard.yaml, each function loaded from its code directory and handler`,
    );
    const connectFn = routes.$connect;
    if (connectFn) {
      const outcome = await connect(url, timeoutMs);
      if (outcome.ws) {
        outcome.ws.close();
        proven.push(`$connect ran ${connectFn} and accepted the connection`);
      } else {
        // The module integration names the function whose handler failed
        // (on stderr, which may arrive after the refusal).
        const failed = await cli
          .waitFor(
            new RegExp(`module:${escapeRegExp(connectFn)} failed: ([^\\n]*)`),
            2000,
          )
          .catch(() => undefined);
        if (!failed) {
          throw new EmulatorFailure(
            `the upgrade was refused (HTTP ${
              outcome.status
            }) before $connect's function ${connectFn} ran:\n${lastLines(
              cli.output(),
            )}`,
          );
        }
        proven.push(
          `$connect reached ${connectFn}'s deployed handler, which needs AWS to run (here: ${failed[1]}; HTTP ${outcome.status})`,
        );
      }
    }
  } finally {
    stopped = await cli.stop();
  }
  if (stopped.code !== 0) {
    throw new EmulatorFailure(
      `stackyard-ws did not exit cleanly on SIGINT (${
        stopped.signal ?? `exit ${stopped.code}`
      }):\n${lastLines(cli.output())}`,
    );
  }
  proven.push('stackyard-ws closed and exited 0 on SIGINT');
  return proven;
}

/** The first frame `ws` receives that `accept` takes. */
function receive(ws, accept) {
  return new Promise(resolve => {
    const onMessage = data => {
      const text = data.toString();
      if (accept(text)) {
        ws.off('message', onMessage);
        resolve(text);
      }
    };
    ws.on('message', onMessage);
  });
}

/**
 * `npm run dev` (the repository's own local runtime over the same
 * stackyard.yaml): A subscribes, B publishes until A receives the frame
 * through `@connections` (A's one-way subscribe has no reply to wait for).
 */
async function roundTripWithDev(dir, timeoutMs) {
  const dev = startProcess('npm', ['run', 'dev', '--silent'], {
    cwd: dir,
    env: renderedRepoEnv({ PORT: '0' }),
  });
  const sockets = [];
  try {
    let url;
    try {
      [, url] = await dev.waitFor(LISTENING, timeoutMs);
    } catch (error) {
      throw new EmulatorFailure(
        `npm run dev did not start (${error.message}):\n${lastLines(
          dev.output(),
        )}`,
      );
    }
    for (const name of ['subscriber', 'publisher']) {
      const outcome = await connect(url, timeoutMs);
      if (!outcome.ws) {
        throw new EmulatorFailure(
          `npm run dev refused the ${name}'s connection (HTTP ${
            outcome.status
          }):\n${lastLines(dev.output())}`,
        );
      }
      sockets.push(outcome.ws);
    }
    const [subscriber, publisher] = sockets;
    const channel = 'templates-check';
    const data = `round trip ${process.pid}-${Date.now()}`;
    const expected = JSON.stringify({ channel, data });
    const received = receive(subscriber, text => text === expected);
    subscriber.send(JSON.stringify({ action: 'subscribe', channel }));
    const publish = () =>
      publisher.send(JSON.stringify({ action: 'publish', channel, data }));
    publish();
    const retry = setInterval(publish, 200);
    let timer;
    const timedOut = new Promise((_, reject) => {
      timer = setTimeout(
        () =>
          reject(
            new EmulatorFailure(
              `the subscriber did not receive ${expected} within ${
                timeoutMs / 1000
              }s:\n${lastLines(dev.output())}`,
            ),
          ),
        timeoutMs,
      );
    });
    try {
      await Promise.race([received, timedOut]);
    } finally {
      clearInterval(retry);
      clearTimeout(timer);
    }
    return [
      `npm run dev: {"action":"subscribe"} ($default) then {"action":"publish"} (publish route) delivered ${expected} to the subscriber through @connections`,
    ];
  } finally {
    for (const ws of sockets) ws.terminate();
    // npm itself dies of the SIGINT; the script closes the server.
    await dev.stop();
  }
}

/**
 * @param {string} dir a rendered repository
 * @returns {Promise<{ skipped?: string, proven: string[] }>}
 * @throws EmulatorFailure saying what did not work, with the process output
 */
export async function checkEmulator(dir, { timeoutMs = 8000 } = {}) {
  const manifest = loadManifest(join(dir, 'stackyard.yaml'));
  if (!manifest.websocket) {
    return { skipped: 'stackyard.yaml has no websocket section', proven: [] };
  }
  const routes = manifest.websocket.routes;
  const proven = await serveWithCli(dir, routes, timeoutMs);
  const packageJson = join(dir, 'package.json');
  const scripts = existsSync(packageJson)
    ? JSON.parse(readFileSync(packageJson, 'utf8')).scripts ?? {}
    : {};
  if (scripts.dev && routes.publish && routes.$default) {
    proven.push(...(await roundTripWithDev(dir, timeoutMs)));
  } else {
    proven.push(
      'no subscribe/publish round trip: that needs a dev script and the $default + publish routes of the channel protocol',
    );
  }
  return { proven };
}
