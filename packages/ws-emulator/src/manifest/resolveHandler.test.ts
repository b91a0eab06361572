import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { resolveHandler } from './resolveHandler';

describe('resolveHandler', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await fs.mkdtemp(path.join(os.tmpdir(), 'resolve-handler-'));
  });
  afterEach(() => fs.rm(dir, { recursive: true, force: true }));

  const write = async (file: string) => {
    await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true });
    await fs.writeFile(path.join(dir, file), '');
  };

  it('reads <file>.<export> as Lambda does, trying .js, .mjs, .cjs in order', async () => {
    await write('index.mjs');
    await write('index.cjs');
    expect(resolveHandler(dir, 'index.handler')).toEqual({
      file: path.join(dir, 'index.mjs'),
      exportName: 'handler',
    });
    await write('index.js');
    expect(resolveHandler(dir, 'index.handler').file).toBe(
      path.join(dir, 'index.js'),
    );
  });

  it('resolves a module in a subdirectory of the code directory', async () => {
    await write('src/app.v2.js');
    await write('src/app.js');
    expect(resolveHandler(dir, 'src/app.main')).toEqual({
      file: path.join(dir, 'src/app.js'),
      exportName: 'main',
    });
  });

  it('quotes a malformed handler and names the files it looked for', () => {
    expect(() => resolveHandler(dir, 'handler')).toThrow(
      'handler "handler" must look like "<file>.<export>", e.g. "index.handler"',
    );
    expect(() => resolveHandler(dir, 'index.handler')).toThrow(
      `handler "index.handler" needs ${path.join(
        dir,
        'index',
      )}.js, .mjs, .cjs (none exists)`,
    );
  });
});
