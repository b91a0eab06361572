import { lockDown, permissionProblem } from '@stackyard/cdk-guardrails/sandbox';
import { mkdirSync } from 'fs';
import { tmpdir } from 'os';
import { startDynalite, countItems } from '../engines/dynamo/dynaliteEngine';
import { EventSourcePoller } from '../engines/sqs/EventSourcePoller';
import { SqsEngine } from '../engines/sqs/SqsEngine';
import { startTtlSweeper } from '../engines/dynamo/ttlSweeper';
import { createSqsServer } from '../engines/sqs/sqsServer';
import { dlqOfFunctions } from '../plan/dlqOfFunctions';
import { FunctionHost, ImportModule } from './FunctionHost';
import { functionEnv } from './functionEnv';
import { captureLogs, perFunctionEnv } from './logCapture';
import { openChannel } from './channel';
import { ConnectionsChannel } from './connectionsChannel';
import { routeConnectionsOverChannel } from './connectionsOverChannel';
import type { RunnerStart, ToRunner } from './protocol';

/** Hosts and ports the extra environment's URLs point at (e.g. the portal's `@connections`). */
function urlDestinations(
  env: Readonly<Record<string, string>>,
): { host: string; port: number }[] {
  const out: { host: string; port: number }[] = [];
  for (const value of Object.values(env)) {
    try {
      const url = new URL(value);
      if (url.protocol !== 'http:' && url.protocol !== 'ws:') continue;
      out.push({
        host: url.hostname.replace(/^\[|\]$/g, ''),
        port: Number(url.port || 80),
      });
    } catch {
      // not a URL
    }
  }
  return out;
}

/**
 * The runner process of one preview: checks that the permission model
 * confines it, starts the engines (dynalite, the queue engine) on loopback,
 * closes the network to all but them and the URLs of the extra environment,
 * says it is ready, then runs invocations and the event source mappings
 * until the backend kills it. Its own environment was built from nothing.
 */
export async function runPreviewRunner(
  importModule: ImportModule,
): Promise<void> {
  let onRequest: (message: ToRunner) => void = () => undefined;
  // Only the start request is kept for later: the requests after it are
  // handled and dropped (keeping them all held every event ever sent).
  let startRequest: RunnerStart | undefined;
  const { send, writeLine } = openChannel(message => {
    if (message.type === 'start') startRequest ??= message;
    onRequest(message);
  });
  const problem = permissionProblem(tmpdir());
  if (problem) {
    await send({ type: 'refused', reason: problem });
    process.exit(0);
  }
  const start =
    startRequest ??
    (await new Promise<RunnerStart>(resolve => {
      onRequest = m => m.type === 'start' && resolve(m);
    }));
  const { plan } = start;
  mkdirSync(tmpdir(), { recursive: true });
  const dynamo = await startDynalite(plan.tables);
  const engine = new SqsEngine({
    region: plan.region,
    accountId: plan.accountId,
    timeScale: start.queueTimeScale,
  });
  for (const queue of plan.queues) {
    engine.createQueue({
      name: queue.name,
      visibilityTimeout: queue.visibilityTimeout,
      delaySeconds: queue.delaySeconds,
      messageRetentionPeriod: queue.messageRetentionPeriod,
      redrive: queue.redrive,
    });
  }
  const sqsServer = createSqsServer(engine);
  await new Promise<void>(resolve =>
    sqsServer.listen(0, '127.0.0.1', () => resolve()),
  );
  const sqsPort = (sqsServer.address() as { port: number }).port;
  const dynamoPort = Number(new URL(dynamo.endpoint).port);
  const endpoints = {
    dynamodb: dynamo.endpoint,
    sqs: `http://127.0.0.1:${sqsPort}`,
  };

  const base = { ...process.env } as Record<string, string>;
  const envs = new Map(
    plan.functions.map(f => [
      f.name,
      functionEnv(f, plan, endpoints, start.env, base),
    ]),
  );
  const host = new FunctionHost(plan, envs, importModule);
  const connections = new ConnectionsChannel(writeLine);
  if (start.connections) {
    routeConnectionsOverChannel({ ...start.connections, channel: connections });
  }
  captureLogs();
  perFunctionEnv();
  lockDown({
    allowConnections: [
      { host: '127.0.0.1', port: dynamoPort },
      { host: '127.0.0.1', port: sqsPort },
      ...urlDestinations(start.env),
    ],
  });
  // A function's stray error is its own: logged under its name, the runner goes on.
  process.on('uncaughtException', error =>
    console.error(`ERROR Uncaught ${error?.stack ?? error}`),
  );
  process.on('unhandledRejection', reason =>
    console.error(
      `ERROR Unhandled Promise Rejection ${(reason as Error)?.stack ?? reason}`,
    ),
  );
  for (const note of plan.notes) process.stdout.write(`${note}\n`);

  startTtlSweeper({
    endpoint: dynamo.endpoint,
    tables: plan.tables,
    intervalMs: start.ttlSweepIntervalMs,
    onError: (table, error) =>
      console.error(`TTL sweep of table ${table} failed: ${error}`),
  });
  for (const mapping of plan.mappings) {
    // Polls until the runner ends.
    void new EventSourcePoller(engine, mapping, (fn, event) =>
      host.invoke(fn, event),
    ).done;
  }
  onRequest = async message => {
    if (message.type === 'connections') {
      connections.answer(message.answers);
      return;
    }
    let value: unknown;
    if (message.type === 'invoke') {
      value = await host.invoke(message.fn, message.event);
    } else if (message.type === 'queues') {
      value = plan.queues.map(q => ({
        name: q.name,
        ...(({ visible, inFlight }) => ({ visible, inFlight }))(
          engine.counts(q.name),
        ),
        ...(q.redrive ? { dlq: q.redrive.deadLetterQueue } : {}),
        ...dlqOfFunctions(plan, q.name),
      }));
    } else if (message.type === 'tables') {
      value = await Promise.all(
        plan.tables.map(async t => ({
          name: t.name,
          items: await countItems(dynamo.endpoint, t.name),
        })),
      );
    } else {
      return;
    }
    await send({ type: 'answer', id: message.id, value });
  };
  await send({ type: 'ready', endpoints });
}
