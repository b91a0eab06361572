// Checks one template the way a platform team's change must hold up:
// render (scaffolder dry-run) → rendered files → hostile answers →
// synth + safety policy → its WebSocket API served by the emulator → the
// generated repository's own tests → upgrades from every earlier version
// kept in versions/ → (with `standalone`) the repository
// published as the wizard publishes it, installed and tested outside this
// monorepo. Stops at the first failing stage.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { parse } from 'yaml';
import {
  directoryContents,
  renderedFileProblems,
  writeContents,
} from './files.mjs';
import { EmulatorFailure, checkEmulator } from './emulator.mjs';
import { runGeneratedTests } from './generatedTests.mjs';
import { hostileProblems } from './hostile.mjs';
import { StandaloneFailure, checkStandalone } from './standalone.mjs';
import { UpgradeFailure, checkUpgrades } from './upgrade.mjs';
import { requireTs } from './require.mjs';

export const VALUES_FILE = 'check-values.yaml';

const { synthService } = requireTs('@stackyard/cdk-guardrails');

class StageFailure extends Error {}

const stripAnsi = text => text.replace(/\u001b\[[0-9;]*m/g, '');

/** The step failures of a dry run, from its log. */
function dryRunFailures(body) {
  const log = body.log ?? [];
  const failed = new Set(
    log.filter(e => e.body?.status === 'failed').map(e => e.body.stepId),
  );
  const messages = log
    .filter(e => failed.has(e.body?.stepId) && e.body?.message)
    .map(e => `[${e.body.stepId}] ${stripAnsi(e.body.message)}`);
  return messages.slice(-8);
}

/**
 * @param {object} options
 * @param {string} options.templateDir a folder holding template.yaml and check-values.yaml
 * @param {{ dryRun(body: object): Promise<{status: number, body: any}> }} options.portal
 * @param {(stage: string, ms: number, ok: boolean) => void} [options.onStage]
 * @param {boolean} [options.standalone] also publish the repository and install and test it outside this monorepo
 * @returns {Promise<{ name: string, ok: boolean, stage?: string, problems: string[], timings: Record<string, number>, testsPassed?: number, hostile?: { rendered: number, refused: number }, emulator?: { skipped?: string, proven: string[] }, upgrades?: { skipped?: string, upgraded: string[] } }>}
 */
export async function checkTemplate({
  templateDir,
  portal,
  onStage,
  standalone = false,
}) {
  const name = basename(templateDir);
  const timings = {};
  let out;
  const stage = async (id, fn) => {
    const started = Date.now();
    let ok = false;
    try {
      const result = await fn();
      ok = true;
      return result;
    } catch (error) {
      if (error instanceof StageFailure) throw Object.assign(error, { id });
      throw Object.assign(new StageFailure(String(error?.stack ?? error)), {
        id,
      });
    } finally {
      timings[id] = Date.now() - started;
      onStage?.(id, timings[id], ok);
    }
  };
  const fail = (...problems) => {
    throw new StageFailure(problems.join('\n'));
  };

  try {
    const { template, values } = await stage('load', () => {
      const valuesFile = join(templateDir, VALUES_FILE);
      if (!existsSync(valuesFile)) {
        fail(
          `${VALUES_FILE} is missing: add sample answers to the template's form next to its template.yaml`,
        );
      }
      const loaded = parse(readFileSync(valuesFile, 'utf8'));
      if (!loaded || typeof loaded.values !== 'object') {
        fail(`${VALUES_FILE} must hold a "values" map of form answers`);
      }
      return {
        template: parse(
          readFileSync(join(templateDir, 'template.yaml'), 'utf8'),
        ),
        values: loaded.values,
      };
    });

    const contents = directoryContents(templateDir, templateDir);
    const rendered = await stage('render', async () => {
      const { status, body } = await portal.dryRun({
        template,
        values,
        directoryContents: contents,
      });
      if (status !== 200) {
        fail(`dry run refused (HTTP ${status}): ${body.error?.message}`);
      }
      const failures = dryRunFailures(body);
      if (failures.length > 0) fail('dry run failed:', ...failures);
      return body.directoryContents;
    });

    out = mkdtempSync(join(tmpdir(), `stackyard-check-${name}-`));
    await stage('files', () => {
      writeContents(rendered, out);
      const problems = renderedFileProblems(out, {
        values,
        templateName: template.metadata?.name,
        version:
          template.metadata?.annotations?.['stackyard.io/template-version'],
      });
      if (problems.length > 0) fail(...problems);
    });

    const hostile = await stage('hostile', async () => {
      const result = await hostileProblems({
        template,
        values,
        directoryContents: contents,
        portal,
      });
      if (result.problems.length > 0) {
        fail(
          `hostile answers: ${result.problems.length} problem(s)`,
          ...result.problems.slice(0, 20),
        );
      }
      return result.counts;
    });

    await stage('synth', async () => {
      const result = await synthService({
        appDir: out,
        prefix: 'check',
        stage: values.stage ?? 'dev',
      });
      if (result.findings.length > 0) {
        fail(
          `safety policy: ${result.findings.length} finding(s)`,
          ...result.findings.map(
            f => `${f.rule} at ${f.path}: ${f.message} (fix: ${f.fix})`,
          ),
        );
      }
    });

    const emulator = await stage('emulator', async () => {
      try {
        return await checkEmulator(out);
      } catch (error) {
        if (error instanceof EmulatorFailure) fail(error.message);
        throw error;
      }
    });

    const testsPassed = await stage('tests', async () => {
      const result = await runGeneratedTests(out);
      if (!result.ok) {
        fail(
          `the generated repository's tests failed (exit ${result.code}):`,
          result.output.trim().split('\n').slice(-40).join('\n'),
        );
      }
      // A test script that runs nothing checks nothing.
      const passed = Number(/^# pass (\d+)$/m.exec(result.output)?.[1] ?? 0);
      if (passed === 0) {
        fail(
          "the generated repository's test script ran no tests:",
          result.output.trim().split('\n').slice(-10).join('\n'),
        );
      }
      return passed;
    });

    const upgrades = await stage('upgrade', async () => {
      try {
        return await checkUpgrades(templateDir, values);
      } catch (error) {
        if (error instanceof UpgradeFailure) fail(error.message);
        throw error;
      }
    });

    const standaloneResult = standalone
      ? await stage('standalone', async () => {
          try {
            return await checkStandalone(out, values.name);
          } catch (error) {
            if (error instanceof StandaloneFailure) fail(error.message);
            throw error;
          }
        })
      : undefined;
    return {
      name,
      ok: true,
      problems: [],
      timings,
      testsPassed,
      hostile,
      emulator,
      upgrades,
      standalone: standaloneResult,
    };
  } catch (error) {
    if (!(error instanceof StageFailure)) throw error;
    return {
      name,
      ok: false,
      stage: error.id,
      problems: [error.message],
      timings,
    };
  } finally {
    if (out) rmSync(out, { recursive: true, force: true });
  }
}
