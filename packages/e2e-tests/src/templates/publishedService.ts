import { execFileSync } from 'node:child_process';
import { join, resolve } from 'node:path';
import {
  commitToMain,
  findTemplateVersion,
  publishRendered,
} from '@stackyard/template-upgrade';
import {
  registerDeployments,
  seederToken,
  waitForEntity,
} from '../infra/seedEnvironments';
import { repoRoot } from '../portal/paths';

/** git with an argument array, hooks off, reading the test's repositories. */
export function git(args: string[], cwd: string): string {
  return execFileSync('git', ['-c', 'core.hooksPath=/dev/null', ...args], {
    cwd,
    encoding: 'utf8',
  }).trim();
}

/**
 * A service of a template's latest version published into a portal's
 * publish directory as the wizard publishes it, with its owners' change
 * committed on top, in the catalog, and its local preview deployed at that
 * commit (what the Infra tab's Local preview panel runs).
 */
export async function publishServiceWithPreview(options: {
  baseUrl: string;
  publishDirectory: string;
  template: string;
  name: string;
  project: string;
  ownersChange: (dir: string) => void;
}): Promise<{ environmentId: string; stackName: string; version: string }> {
  const { baseUrl, name, project } = options;
  const templateDirs = [resolve(repoRoot, 'templates')];
  const { version } = findTemplateVersion(templateDirs, options.template);
  const repoDir = join(options.publishDirectory, name);
  await publishRendered({
    templateDirs,
    template: options.template,
    version,
    answers: {
      name,
      description: `Published at ${version} by a browser test.`,
      owner: 'group:default/platform-team',
      system: 'system:default/work-orders',
      project,
      costCenter: 'e2e',
    },
    repoDir,
  });
  const commit = await commitToMain(
    repoDir,
    options.ownersChange,
    "Owners' change",
  );
  const location = await fetch(`${baseUrl}/api/catalog/locations`, {
    method: 'POST',
    headers: {
      Authorization: `Bearer ${seederToken}`,
      'Content-Type': 'application/json',
    },
    body: JSON.stringify({
      type: 'stackyard-local',
      target: join(repoDir, 'catalog-info.yaml'),
    }),
  });
  if (location.status !== 201) {
    throw new Error(
      `Registering ${repoDir}: ${location.status} ${await location.text()}`,
    );
  }
  await waitForEntity(baseUrl, { kind: 'component', name });
  const stackName = `${project}-dev`;
  const [{ environment }] = await registerDeployments(baseUrl, [
    {
      entityRef: `component:default/${name}`,
      target: 'local',
      prefix: project,
      stage: 'dev',
      stackName,
      status: 'ready',
      templateName: options.template,
      templateVersion: version,
      commit,
    },
  ]);
  return { environmentId: environment.id, stackName, version };
}
