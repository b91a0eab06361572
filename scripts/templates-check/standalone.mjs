// A rendered repository must stand on its own: published the way the
// wizard's stackyard:publish:local publishes it (this monorepo's packages
// packed into it), cloned into a temp directory outside this monorepo, it
// installs with `npm ci` and passes `npm test` with none of the monorepo's
// modules (no NODE_PATH, no TypeScript transform), its `stackyard` bin
// synthesizes it, and so does the library's sandbox. npm reads registry
// metadata and tarballs from its cache first (--prefer-offline). Arguments
// are arrays, never a shell line.
import { cpSync, existsSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, sep } from 'node:path';
import { repoRoot, requireTs } from './require.mjs';
import { startProcess } from './childProcess.mjs';

const { ConfigReader } = requireTs('@backstage/config');
const { createPublishLocalAction, readStackyardActionsConfig } = requireTs(
  '@stackyard/plugin-scaffolder-backend-module-stackyard',
);
const { childEnv } = requireTs(
  join(repoRoot, 'plugins/scaffolder-backend-module-stackyard/src/packs'),
);

export class StandaloneFailure extends Error {}

/** The JSON a script below printed after `RESULT `, whatever else it wrote. */
const resultOf = output => {
  const line = /^RESULT (.*)$/m.exec(output);
  if (!line) throw new StandaloneFailure(`no result in:\n${output}`);
  return JSON.parse(line[1]);
};

// The light entry reads manifests without loading the CDK.
const LIGHT_ENTRY = `
const { loadManifest } = require('@stackyard/cdk-guardrails/manifest');
const manifest = loadManifest('stackyard.yaml');
process.stdout.write('\\nRESULT ' + JSON.stringify({
  service: manifest.service.name,
  cdkLoaded: Object.keys(require.cache).some(file => file.includes('/aws-cdk-lib/')),
}));
`;

const SANDBOX_SYNTH = `
const { SandboxPool, synthInSandbox } = require('@stackyard/cdk-guardrails');
const pool = SandboxPool.create({ prewarm: false });
synthInSandbox(pool, { appDir: process.cwd(), prefix: 'standalone', stage: 'dev' }).then(
  async result => {
    await pool.close();
    process.stdout.write('\\nRESULT ' + JSON.stringify({
      stacks: result.stacks.length,
      findings: result.findings.length,
    }));
    process.exit(0);
  },
  error => {
    process.stderr.write(String(error && error.stack ? error.stack : error));
    process.exit(1);
  },
);
`;

async function exec(command, args, { cwd, timeoutMs = 240_000 }) {
  const child = startProcess(command, args, { cwd, env: childEnv() });
  const timer = setTimeout(() => child.stop(), timeoutMs);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  await child.stop();
  const output = child.output();
  if (code !== 0) {
    throw new StandaloneFailure(
      `${[command, ...args].join(' ')} failed (${
        signal ?? `exit ${code}`
      }):\n${output.trim().split('\n').slice(-30).join('\n')}`,
    );
  }
  return output;
}

/**
 * Publishes `renderedDir` as repository `name` with publish:local, clones it
 * outside the monorepo and installs and tests it there.
 * @returns {Promise<{ testsPassed: number, vendored: string[], synth: string, log: string[], timings: Record<string, number> }>}
 */
export async function checkStandalone(renderedDir, name) {
  const temp = realpathSync(
    mkdtempSync(join(tmpdir(), `stackyard-standalone-${name}-`)),
  );
  if (temp.startsWith(`${repoRoot}${sep}`)) {
    throw new Error(`${temp} lies inside ${repoRoot}: set TMPDIR elsewhere`);
  }
  try {
    const workspace = join(temp, 'workspace');
    cpSync(renderedDir, workspace, { recursive: true });
    const action = createPublishLocalAction({
      config: readStackyardActionsConfig(
        new ConfigReader({
          stackyard: {
            scaffolder: { localPublishDirectory: join(temp, 'repos') },
          },
        }),
      ),
    });
    // The action's context as the scaffolder gives it, minus what it does
    // not use.
    const log = [];
    const outputs = {};
    const ctx = {
      input: { repoName: name },
      workspacePath: workspace,
      isDryRun: false,
      logger: {
        info: line => log.push(line),
        warn: line => log.push(`warning: ${line}`),
        error: line => log.push(`error: ${line}`),
        debug: () => {},
      },
      output: (key, value) => (outputs[key] = value),
      checkpoint: ({ fn }) => fn(),
    };
    const timings = {};
    let started = Date.now();
    const lap = name => {
      timings[name] = Date.now() - started;
      started = Date.now();
    };
    await action.handler(ctx);
    lap('publish');

    const clone = join(temp, 'clone');
    await exec('git', ['clone', '--quiet', '--', outputs.repoPath, clone], {
      cwd: temp,
    });
    await exec('npm', ['ci', '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: clone,
    });
    lap('npm ci');
    // Resolved from the clone's own node_modules, from the vendored tarball.
    const resolved = (
      await exec(
        process.execPath,
        ['-p', "require.resolve('@stackyard/cdk-guardrails')"],
        { cwd: clone },
      )
    ).trim();
    if (!resolved.startsWith(join(clone, 'node_modules') + sep)) {
      throw new StandaloneFailure(
        `@stackyard/cdk-guardrails resolved to ${resolved}, not inside the clone's node_modules`,
      );
    }
    const light = resultOf(
      await exec(process.execPath, ['-e', LIGHT_ENTRY], { cwd: clone }),
    );
    if (light.service !== name || light.cdkLoaded) {
      throw new StandaloneFailure(
        `@stackyard/cdk-guardrails/manifest from the installed package: ${JSON.stringify(
          light,
        )}`,
      );
    }
    const output = await exec('npm', ['test'], { cwd: clone });
    lap('npm test');
    const passed = Number(/^# pass (\d+)$/m.exec(output)?.[1] ?? 0);
    if (passed === 0) {
      throw new StandaloneFailure(
        `npm test ran no tests:\n${output.slice(-2000)}`,
      );
    }
    const bin = join(clone, 'node_modules', '.bin', 'stackyard');
    if (!existsSync(bin)) {
      throw new StandaloneFailure('the stackyard bin was not installed');
    }
    const synth = await exec(
      bin,
      ['synth', '.', '--branch', 'main', '--stage', 'dev'],
      { cwd: clone },
    );
    lap('stackyard synth');
    // A repository with the emulator gets its CLI from the packed package too.
    const emulatorBin = join(clone, 'node_modules', '.bin', 'stackyard-ws');
    if (existsSync(emulatorBin)) {
      const help = await exec(emulatorBin, ['--help'], { cwd: clone });
      if (!/^Usage: stackyard-ws/m.test(help)) {
        throw new StandaloneFailure(`stackyard-ws --help printed:\n${help}`);
      }
      lap('stackyard-ws');
    }
    // The sandbox that runs repository code (manifest extensions) starts
    // from the packed package too: its child process runs the built bundle.
    const sandboxed = resultOf(
      await exec(process.execPath, ['-e', SANDBOX_SYNTH], { cwd: clone }),
    );
    lap('sandbox');
    if (sandboxed.stacks < 1 || sandboxed.findings !== 0) {
      throw new StandaloneFailure(
        `synthInSandbox from the installed package: ${JSON.stringify(
          sandboxed,
        )}`,
      );
    }
    const vendored = log
      .filter(line => line.startsWith('Vendored '))
      .flatMap(line => line.match(/@stackyard\/[a-z-]+@[\d.]+/g) ?? []);
    return { testsPassed: passed, vendored, synth: synth.trim(), log, timings };
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}
