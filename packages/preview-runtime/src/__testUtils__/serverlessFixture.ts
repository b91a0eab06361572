import { synthService } from '@stackyard/cdk-guardrails';
import { loadManifest } from '@stackyard/cdk-guardrails/manifest';
import { cpSync, mkdtempSync, realpathSync } from 'fs';
import { tmpdir } from 'os';
import { join, resolve } from 'path';

// eslint-disable-next-line no-restricted-syntax
const fixtures = resolve(__dirname, '../__fixtures__');
const templates = resolve(fixtures, '../../../../templates');

/**
 * A checkout of a service built from the serverless template's handlers
 * (intake, worker) plus the tests' probe function, and its synthesized
 * template, through the same synth the portal uses.
 */
export async function serverlessFixture(): Promise<{
  root: string;
  checkoutDir: string;
  workDir: string;
  template: unknown;
  manifest: unknown;
}> {
  const root = realpathSync(
    mkdtempSync(join(tmpdir(), 'preview-runtime-test-')),
  );
  const checkoutDir = join(root, 'checkout');
  const skeleton = join(templates, 'serverless-service/skeleton');
  cpSync(join(skeleton, 'functions'), join(checkoutDir, 'functions'), {
    recursive: true,
  });
  for (const name of ['probe', 'esm']) {
    cpSync(join(fixtures, name), join(checkoutDir, 'functions', name), {
      recursive: true,
    });
  }
  cpSync(join(fixtures, 'stackyard.yaml'), join(checkoutDir, 'stackyard.yaml'));
  const manifest = loadManifest(join(checkoutDir, 'stackyard.yaml'));
  const synth = await synthService({
    appDir: checkoutDir,
    prefix: 'sample',
    stage: 'dev',
    manifest,
  });
  const workDir = join(root, 'work');
  return {
    root,
    checkoutDir,
    workDir,
    template: synth.templates[synth.stackName],
    manifest,
  };
}

/** A checkout of the WebSocket template's handlers and its synthesized template. */
export async function websocketFixture(): Promise<{
  root: string;
  checkoutDir: string;
  workDir: string;
  template: unknown;
  manifest: unknown;
}> {
  const root = realpathSync(
    mkdtempSync(join(tmpdir(), 'preview-runtime-test-')),
  );
  const checkoutDir = join(root, 'checkout');
  cpSync(
    join(templates, 'websocket-service/skeleton/functions'),
    join(checkoutDir, 'functions'),
    { recursive: true },
  );
  cpSync(join(fixtures, 'websocket.yaml'), join(checkoutDir, 'stackyard.yaml'));
  const manifest = loadManifest(join(checkoutDir, 'stackyard.yaml'));
  const synth = await synthService({
    appDir: checkoutDir,
    prefix: 'chat',
    stage: 'dev',
    manifest,
  });
  return {
    root,
    checkoutDir,
    workDir: join(root, 'work'),
    template: synth.templates[synth.stackName],
    manifest,
  };
}
