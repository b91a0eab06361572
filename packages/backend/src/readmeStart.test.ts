import { ChildProcess, spawn } from 'node:child_process';
import {
  closeSync,
  existsSync,
  mkdtempSync,
  openSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import { freePort, postgresConnectionStrings } from '@stackyard/test-support';
import { acquireWatchModeLock } from './__testUtils__/watchModeLock';

/*
 * Starts the portal the way the root README tells a user to — the commands
 * are read from README.md, so the docs cannot drift from what works — and
 * checks what its quick start promises: guest sign-in, the templates in
 * Create, a template run end to end whose entity opens as soon as the task
 * ends and whose Infra tab lists its environment, and that a restart (Ctrl-C,
 * same command) keeps the service, its environment and the task.
 *
 * Only what would collide with other runs is changed, through APP_CONFIG_*
 * variables: the ports, where SQLite files and published repositories go,
 * and a PostgreSQL database prefix.
 */

// pg ships without types (and @types/pg is not installed): the calls used here.
type PgClient = {
  connect(): Promise<void>;
  query(
    text: string,
    values?: unknown[],
  ): Promise<{ rows: Array<Record<string, unknown>> }>;
  end(): Promise<void>;
};
const { Client } = require('pg') as {
  Client: new (config: { connectionString: string }) => PgClient;
};

const repoRoot = resolve(__dirname, '../../..');
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');

/** The lines of the first ```sh block under the `## <heading>` section. */
function shellBlock(heading: string): string[] {
  const section = readme.split(/^## /m).find(s => s.startsWith(`${heading}\n`));
  const block = section && /```sh\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error(`README.md has no sh block under "${heading}"`);
  return block
    .split('\n')
    .map(line => line.replace(/\s+#.*$/, '').trim())
    .filter(Boolean);
}

/** `export A=1 B=2` lines as variables, and the one `npm ...` command. */
function readmeCommand(heading: string, start: RegExp) {
  const lines = shellBlock(heading);
  const env: Record<string, string> = {};
  for (const line of lines.filter(l => l.startsWith('export '))) {
    for (const pair of line.slice('export '.length).split(/\s+/)) {
      const [name, ...value] = pair.split('=');
      env[name] = value.join('=');
    }
  }
  const command = lines.find(l => start.test(l));
  if (!command) {
    throw new Error(`README.md "${heading}" has no line matching ${start}`);
  }
  // Plain words only: the test runs it without a shell.
  if (!/^[\w:./= -]+$/.test(command)) {
    throw new Error(
      `README.md "${heading}": ${command} is not a plain command`,
    );
  }
  return { env, argv: command.split(/\s+/) };
}

/** What `npm start`'s prestart would do: `npm ci` when the lockfile is newer. */
function installIsStale() {
  const marker = resolve(repoRoot, 'node_modules/.package-lock.json');
  return (
    !existsSync(marker) ||
    statSync(marker).mtimeMs <
      statSync(resolve(repoRoot, 'package-lock.json')).mtimeMs
  );
}

class Portal {
  private child?: ChildProcess;
  private readonly logFile: string;

  constructor(
    private readonly argv: string[],
    private readonly env: NodeJS.ProcessEnv,
    readonly backendUrl: string,
    readonly frontendUrl: string,
    dir: string,
  ) {
    this.logFile = join(dir, 'portal.log');
  }

  start() {
    const [command, ...rest] = this.argv;
    let args = rest;
    if (installIsStale()) {
      // prestart would run `npm ci` under the other test suites' feet.
      console.warn(
        'node_modules is older than package-lock.json: starting without the prestart install',
      );
      args = [...args, '--ignore-scripts'];
    }
    const log = openSync(this.logFile, 'a');
    this.child = spawn(command, args, {
      cwd: repoRoot,
      env: this.env,
      stdio: ['ignore', log, log],
      detached: true,
    });
    closeSync(log);
  }

  /** Ctrl-C, as a user stops `npm start`: SIGINT to the whole group. */
  async stop() {
    const child = this.child;
    if (!child?.pid || child.exitCode !== null) return;
    const exited = new Promise(r => child.once('exit', r));
    const signal = (s: NodeJS.Signals) => {
      try {
        process.kill(-child.pid!, s);
      } catch {
        // already gone
      }
    };
    signal('SIGINT');
    const timer = setTimeout(() => signal('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
    // The backend's and webpack's own children.
    signal('SIGKILL');
  }

  logTail() {
    const text = existsSync(this.logFile)
      ? readFileSync(this.logFile, 'utf8')
      : '';
    return text.split('\n').slice(-40).join('\n');
  }

  /** Polls `probe` until it returns a value; fails with the portal's log. */
  async waitFor<T>(
    what: string,
    probe: () => Promise<T | undefined>,
    timeoutMs: number,
  ): Promise<T> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.child?.exitCode !== null && this.child?.exitCode !== undefined) {
        throw new Error(
          `The portal exited (${
            this.child.exitCode
          }) before ${what}:\n${this.logTail()}`,
        );
      }
      const value = await probe().catch(() => undefined);
      if (value !== undefined) return value;
      if (Date.now() > deadline) {
        throw new Error(`Timed out waiting for ${what}:\n${this.logTail()}`);
      }
      await new Promise(r => setTimeout(r, 500));
    }
  }

  async started() {
    await this.waitFor(
      'the backend to be ready',
      async () =>
        (await fetch(`${this.backendUrl}/.backstage/health/v1/readiness`)).ok ||
        undefined,
      240_000,
    );
    await this.waitFor(
      'the frontend to serve the app',
      async () => {
        const res = await fetch(this.frontendUrl);
        return res.ok && (await res.text()).includes('<div id="root">')
          ? true
          : undefined;
      },
      240_000,
    );
  }

  /**
   * Guest sign-in, as the sign-in page does it, once the catalog has ingested
   * the guest user: before that the guest provider issues a token that owns
   * nothing but the user itself (no platform-team), which may not deploy.
   */
  async signIn(): Promise<Record<string, string>> {
    const early = await this.guestToken();
    await this.waitFor(
      'the catalog to ingest user:default/guest',
      async () =>
        (
          await this.get(
            '/api/catalog/entities/by-name/user/default/guest',
            early,
          )
        ).status === 200 || undefined,
      240_000,
    );
    return this.guestToken();
  }

  private async guestToken(): Promise<Record<string, string>> {
    const res = await fetch(
      `${this.backendUrl}/api/auth/guest/refresh?env=development`,
      { headers: { 'X-Requested-With': 'XMLHttpRequest' } },
    );
    if (res.status !== 200)
      throw new Error(`Guest sign-in: HTTP ${res.status}`);
    const { backstageIdentity } = await res.json();
    return { Authorization: `Bearer ${backstageIdentity.token}` };
  }

  async get(path: string, headers: Record<string, string>) {
    const res = await fetch(`${this.backendUrl}${path}`, { headers });
    return { status: res.status, body: await res.json().catch(() => null) };
  }
}

const suffix = Date.now().toString(36);
const sampleValues = parse(
  readFileSync(
    resolve(repoRoot, 'templates/serverless-service/check-values.yaml'),
    'utf8',
  ),
).values;

const postgres = postgresConnectionStrings()[0];
if (!postgres) {
  console.warn(
    'readmeStart: the PostgreSQL start is not tested: set BACKSTAGE_TEST_DATABASE_POSTGRES<major>_CONNECTION_STRING',
  );
}

/** The PostgreSQL database prefix of this run. */
const pgPrefix = `stackyard_readme_${suffix}_`;

const modes = [
  {
    name: 'Quick start: npm start (embedded SQLite)',
    command: () => readmeCommand('Quick start', /^npm start\b/),
    database: (dir: string): NodeJS.ProcessEnv => ({
      APP_CONFIG_backend_database_connection_directory: join(dir, 'sqlite'),
    }),
    /** One file per plugin, <plugin id>.sqlite. */
    stores: async (dir: string) => readdirSync(join(dir, 'sqlite')),
    store: (pluginId: string) => `${pluginId}.sqlite`,
    cleanUp: async () => {},
  },
  ...(postgres
    ? [
        {
          name: `Using PostgreSQL (${postgres.id})`,
          command: () => {
            const { env, argv } = readmeCommand('Using PostgreSQL', /^npm /);
            // The README's variables are the ones the config reads.
            const production = readFileSync(
              resolve(repoRoot, 'app-config.production.yaml'),
              'utf8',
            );
            const used = [...production.matchAll(/\$\{(\w+)\}/g)].map(
              m => m[1],
            );
            if (Object.keys(env).sort().join() !== used.sort().join()) {
              throw new Error(
                `README.md exports ${Object.keys(
                  env,
                )}; app-config.production.yaml reads ${used}`,
              );
            }
            // ... pointed at the test's server.
            const url = new URL(postgres.connectionString);
            return {
              argv,
              env: {
                ...env,
                POSTGRES_HOST: url.hostname,
                POSTGRES_PORT: url.port || '5432',
                POSTGRES_USER: decodeURIComponent(url.username),
                POSTGRES_PASSWORD: decodeURIComponent(url.password),
              },
            };
          },
          database: (): NodeJS.ProcessEnv => ({
            APP_CONFIG_backend_database_prefix: pgPrefix,
          }),
          /** One database per plugin, <prefix><plugin id>. */
          stores: () => listDatabases(),
          store: (pluginId: string) => `${pgPrefix}${pluginId}`,
          cleanUp: () => dropDatabases(),
        },
      ]
    : []),
];

describe.each(modes)('the portal started as README.md says: $name', mode => {
  let dir: string;
  let portal: Portal;
  let headers: Record<string, string>;
  const name = `readme-${suffix}`;
  const project = `rd${suffix}`.slice(0, 10);
  const stackName = `${project}-dev`;

  let releaseWatchMode: () => void = () => {};

  beforeAll(async () => {
    // `npm start` watches the sources; another watch-mode test touches them.
    releaseWatchMode = await acquireWatchModeLock();
    dir = mkdtempSync(join(tmpdir(), 'stackyard-readme-start-'));
    const { argv, env } = mode.command();
    const [backendPort, frontendPort] = [await freePort(), await freePort()];
    const backendUrl = `http://localhost:${backendPort}`;
    const frontendUrl = `http://localhost:${frontendPort}`;
    const { NODE_ENV, ...userEnv } = process.env; // jest's "test"
    portal = new Portal(
      argv,
      {
        ...userEnv,
        ...env,
        APP_CONFIG_app_baseUrl: frontendUrl,
        APP_CONFIG_backend_baseUrl: backendUrl,
        APP_CONFIG_backend_listen_port: String(backendPort),
        APP_CONFIG_backend_cors_origin: frontendUrl,
        APP_CONFIG_stackyard_scaffolder_localPublishDirectory: join(
          dir,
          'repos',
        ),
        ...mode.database(dir),
      },
      backendUrl,
      frontendUrl,
      dir,
    );
    portal.start();
    await portal.started();
    headers = await portal.signIn();
  }, 900_000);

  afterAll(async () => {
    try {
      await portal?.stop();
      await mode.cleanUp();
      rmSync(dir, { recursive: true, force: true });
    } finally {
      releaseWatchMode();
    }
  }, 60_000);

  it('lists the templates in Create', async () => {
    const template = await portal.waitFor(
      'the catalog to ingest the templates',
      async () => {
        const res = await portal.get(
          '/api/catalog/entities/by-name/template/default/serverless-service',
          headers,
        );
        return res.status === 200 ? res.body : undefined;
      },
      60_000,
    );
    expect(template.kind).toBe('Template');
  }, 90_000);

  it('runs a template end to end: the entity opens when the task ends, and its Infra tab lists the environment', async () => {
    const created = await fetch(
      `${portal.backendUrl}/api/scaffolder/v2/tasks`,
      {
        method: 'POST',
        headers: { ...headers, 'Content-Type': 'application/json' },
        body: JSON.stringify({
          templateRef: 'template:default/serverless-service',
          values: { ...sampleValues, name, project },
        }),
      },
    );
    expect(created.status).toBe(201);
    const { id } = await created.json();
    const task = await portal.waitFor(
      'the task to finish',
      async () => {
        const res = await portal.get(`/api/scaffolder/v2/tasks/${id}`, headers);
        return ['completed', 'failed'].includes(res.body?.status)
          ? res.body
          : undefined;
      },
      120_000,
    );
    const events = await portal.get(
      `/api/scaffolder/v2/tasks/${id}/events`,
      headers,
    );
    const log = events.body.map((e: any) => e.body?.message ?? '').join('\n');
    if (task.status !== 'completed') {
      throw new Error(`The task ${task.status}; its log:\n${log}`);
    }
    expect(log).toContain(`Registered component:default/${name}`);

    // The "Open in catalog" link works at once: no waiting here.
    const output = events.body.at(-1).body.output;
    expect(output.links).toContainEqual(
      expect.objectContaining({
        title: 'Open in catalog',
        entityRef: `component:default/${name}`,
      }),
    );
    const entity = await portal.get(
      `/api/catalog/entities/by-name/component/default/${name}`,
      headers,
    );
    expect(entity.status).toBe(200);

    const environments = await portal.get(
      `/api/stackyard/environments?entityRef=component:default/${name}`,
      headers,
    );
    expect(environments.body.items).toEqual([
      expect.objectContaining({ stackName, target: 'local', status: 'ready' }),
    ]);
  }, 180_000);

  it('keeps the service, its environment and the task across a restart', async () => {
    const before = await portal.get('/api/scaffolder/v2/tasks', headers);
    await portal.stop();
    portal.start();
    await portal.started();
    headers = await portal.signIn();

    const entity = await portal.get(
      `/api/catalog/entities/by-name/component/default/${name}`,
      headers,
    );
    expect(entity.status).toBe(200);
    const environments = await portal.get(
      `/api/stackyard/environments?entityRef=component:default/${name}`,
      headers,
    );
    expect(environments.body.items).toEqual([
      expect.objectContaining({ stackName, target: 'local', status: 'ready' }),
    ]);
    const after = await portal.get('/api/scaffolder/v2/tasks', headers);
    expect(after.body.tasks.map((t: any) => t.id)).toEqual(
      before.body.tasks.map((t: any) => t.id),
    );
  }, 600_000);

  it('keeps its data where the README says: one store per plugin', async () => {
    expect(await mode.stores(dir)).toEqual(
      expect.arrayContaining(
        ['catalog', 'scaffolder', 'stackyard'].map(mode.store),
      ),
    );
  });
});

async function withPostgres<T>(fn: (client: PgClient) => Promise<T>) {
  const client = new Client({
    connectionString: `${postgres!.connectionString}/postgres`,
  });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

function listDatabases(): Promise<string[]> {
  return withPostgres(async client => {
    const { rows } = await client.query(
      'SELECT datname FROM pg_database WHERE starts_with(datname, $1)',
      [pgPrefix],
    );
    return rows.map(r => String(r.datname));
  });
}

async function dropDatabases() {
  const names = await listDatabases();
  await withPostgres(async client => {
    for (const db of names) {
      // Names come from pg_database with this run's prefix; quoted as identifiers.
      await client.query(`DROP DATABASE IF EXISTS "${db.replace(/"/g, '""')}"`);
    }
  });
}
