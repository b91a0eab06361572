import { ConfigReader } from '@backstage/config';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { readPreviewsConfig } from './previews';

describe('readPreviewsConfig', () => {
  it('applies the defaults', () => {
    expect(readPreviewsConfig(new ConfigReader({}))).toEqual({
      idleMs: 15 * 60_000,
      maxRunning: 5,
      memoryMb: 128,
      dataDirectory: join(tmpdir(), 'stackyard-previews'),
      queueTimeScale: 1,
    });
  });

  it('reads every key, resolving a relative data directory', () => {
    const config = new ConfigReader({
      stackyard: {
        previews: {
          idleMinutes: 2,
          maxRunning: 3,
          memoryMb: 96,
          dataDirectory: 'previews',
          queueTimeScale: 0.01,
        },
      },
    });
    expect(readPreviewsConfig(config)).toEqual({
      idleMs: 120_000,
      maxRunning: 3,
      memoryMb: 96,
      dataDirectory: resolve('previews'),
      queueTimeScale: 0.01,
    });
  });

  it.each([
    ['maxRunning', 0],
    ['maxRunning', 2.5],
    ['idleMinutes', -1],
    ['memoryMb', 100000],
    ['queueTimeScale', 0],
    ['queueTimeScale', 2],
  ])('refuses %s = %p, naming the key', (key, value) => {
    const config = new ConfigReader({
      stackyard: { previews: { [key]: value } },
    });
    expect(() => readPreviewsConfig(config)).toThrow(
      `stackyard.previews.${key}`,
    );
  });
});
