import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { ConfigReader } from '@backstage/config';
import { ConflictError, InputError } from '@backstage/errors';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import yaml from 'yaml';
import { readStackyardActionsConfig } from '../lib/config';
import { fixtureWorkspace } from '../__testUtils__/workspace';
import { createPublishLocalAction } from './publishLocal';
import { examples } from './publishLocal.examples';
import { git } from '@stackyard/template-upgrade';

jest.setTimeout(30_000);

const input = yaml.parse(examples[0].example).steps[0].input;

describe('stackyard:publish:local (real git)', () => {
  let workspace: ReturnType<typeof fixtureWorkspace>;
  let publishDir: string;
  let action: ReturnType<typeof createPublishLocalAction>;

  beforeEach(() => {
    workspace = fixtureWorkspace('orders');
    publishDir = mkdtempSync(join(tmpdir(), 'stackyard-repos-'));
    const config = readStackyardActionsConfig(
      new ConfigReader({
        stackyard: { scaffolder: { localPublishDirectory: publishDir } },
      }),
    );
    action = createPublishLocalAction({
      config,
      defaultAuthor: { name: 'Portal Bot', email: 'bot@example.com' },
    });
  });
  afterEach(() => {
    workspace.cleanup();
    rmSync(publishDir, { recursive: true, force: true });
  });

  it('runs the example: the repository holds the rendered files in one commit, checked out', async () => {
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    await action.handler(ctx);
    const repoPath = join(publishDir, 'orders');
    expect(ctx.output).toHaveBeenCalledWith('repoPath', repoPath);
    expect(ctx.output).toHaveBeenCalledWith('remoteUrl', `file://${repoPath}`);
    const files = await git([
      '-C',
      repoPath,
      'ls-tree',
      '-r',
      '--name-only',
      'main',
    ]);
    expect(files.split('\n').sort()).toEqual([
      'functions/worker/index.js',
      'stackyard.yaml',
    ]);
    const author = await git([
      '-C',
      repoPath,
      'log',
      '-1',
      '--format=%an <%ae>|%s',
      'main',
    ]);
    expect(author).toBe('Portal Bot <bot@example.com>|Initial commit');
    const head = await git(['-C', repoPath, 'rev-parse', 'main']);
    expect(ctx.output).toHaveBeenCalledWith('commitHash', head);
    // The files are on disk, clean, for the catalog to read.
    expect(readFileSync(join(repoPath, 'stackyard.yaml'), 'utf8')).toContain(
      'orders',
    );
    expect(await git(['-C', repoPath, 'status', '--porcelain'])).toBe('');
  });

  it('behaves as a remote: a clone pushes a change and the checked-out files follow', async () => {
    await action.handler(
      createMockActionContext({ input, workspacePath: workspace.path }),
    );
    const repoPath = join(publishDir, 'orders');
    const clone = mkdtempSync(join(tmpdir(), 'stackyard-clone-'));
    try {
      await git(['clone', '--quiet', '--', repoPath, clone]);
      writeFileSync(join(clone, 'catalog-info.yaml'), 'changed: true\n');
      await git(['-C', clone, 'add', 'catalog-info.yaml']);
      await git(['-C', clone, 'commit', '--quiet', '--message', 'Change'], {
        env: {
          GIT_AUTHOR_NAME: 'Dev',
          GIT_AUTHOR_EMAIL: 'dev@example.com',
          GIT_COMMITTER_NAME: 'Dev',
          GIT_COMMITTER_EMAIL: 'dev@example.com',
        },
      });
      await git(['-C', clone, 'push', '--quiet', 'origin', 'main']);
      expect(readFileSync(join(repoPath, 'catalog-info.yaml'), 'utf8')).toBe(
        'changed: true\n',
      );
    } finally {
      rmSync(clone, { recursive: true, force: true });
    }
  });

  it('keeps the render of a service that records its template on the stackyard/template branch', async () => {
    mkdirSync(join(workspace.path, '.stackyard'));
    writeFileSync(
      join(workspace.path, '.stackyard', 'template.json'),
      JSON.stringify({ template: 'tiny', version: '1.0.0', answers: {} }),
    );
    await action.handler(
      createMockActionContext({ input, workspacePath: workspace.path }),
    );
    const repoPath = join(publishDir, 'orders');
    const pristine = await git([
      '-C',
      repoPath,
      'rev-parse',
      'stackyard/template',
    ]);
    // The first commit of main is the render: what upgrades merge against.
    const first = await git([
      '-C',
      repoPath,
      'rev-list',
      '--max-parents=0',
      'main',
    ]);
    expect(pristine).toBe(first);
    expect(
      await git([
        '-C',
        repoPath,
        'show',
        'stackyard/template:.stackyard/template.json',
      ]),
    ).toContain('"version":"1.0.0"');
  });

  it('adds no stackyard/template branch for a service that records no template', async () => {
    await action.handler(
      createMockActionContext({ input, workspacePath: workspace.path }),
    );
    const branches = await git([
      '-C',
      join(publishDir, 'orders'),
      'branch',
      '--format=%(refname:short)',
    ]);
    expect(branches).toBe('main');
  });

  it('publishes nothing in a dry run and outputs an empty commit id', async () => {
    const ctx = {
      ...createMockActionContext({ input, workspacePath: workspace.path }),
      isDryRun: true,
    };
    await action.handler(ctx);
    expect(ctx.output).toHaveBeenCalledWith('commitHash', '');
    expect(readdirSync(publishDir)).toEqual([]);
  });

  it('refuses to overwrite an existing repository', async () => {
    await action.handler(
      createMockActionContext({ input, workspacePath: workspace.path }),
    );
    const again = fixtureWorkspace('orders');
    try {
      const error = await action
        .handler(createMockActionContext({ input, workspacePath: again.path }))
        .catch(e => e);
      expect(error).toBeInstanceOf(ConflictError);
    } finally {
      again.cleanup();
    }
  });

  it.each([
    [{ repoName: '../evil' }, /repoName "..\/evil" is not allowed/],
    [{ repoName: 'x; rm -rf ~' }, /repoName "x; rm -rf ~" is not allowed/],
    [
      { repoName: 'orders', defaultBranch: '--upload-pack=touch /tmp/x' },
      /defaultBranch "--upload-pack=touch \/tmp\/x" is not allowed/,
    ],
    [
      { repoName: 'orders', sourcePath: '../..' },
      /sourcePath "..\/.." is outside the task workspace/,
    ],
  ])(
    'refuses %j with an InputError and creates nothing',
    async (change, message) => {
      const ctx = createMockActionContext({
        input: { ...input, ...change },
        workspacePath: workspace.path,
      });
      const error = await action.handler(ctx).catch(e => e);
      expect(error).toBeInstanceOf(InputError);
      expect(error.message).toMatch(message);
      expect(readdirSync(publishDir)).toEqual([]);
    },
  );

  it('is refused until a local publish directory is configured', async () => {
    const off = createPublishLocalAction({
      config: readStackyardActionsConfig(new ConfigReader({})),
    });
    const ctx = createMockActionContext({
      input,
      workspacePath: workspace.path,
    });
    await expect(off.handler(ctx)).rejects.toThrow(
      /stackyard\.scaffolder\.localPublishDirectory/,
    );
  });
});
