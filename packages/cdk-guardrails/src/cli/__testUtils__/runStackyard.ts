import { execFile } from 'child_process';
import { tmpdir } from 'os';
import { resolve } from 'path';

const BIN = resolve(__dirname, '../../../bin/stackyard');

/** The region the CLI is given. */
export const LOOPBACK_REGION = 'eu-west-1';

/**
 * Runs bin/stackyard as CI would: its own process, AWS credentials, region
 * and endpoint from the standard environment variables.
 */
export function runStackyard(
  args: string[],
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile(
      process.execPath,
      [BIN, ...args],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? tmpdir(),
          AWS_ACCESS_KEY_ID: 'AKIASTACKYARDCI',
          AWS_SECRET_ACCESS_KEY: 'loopback-secret',
          AWS_REGION: LOOPBACK_REGION,
          // No shared config or metadata service: only these variables.
          AWS_CONFIG_FILE: '/nonexistent',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
          AWS_EC2_METADATA_DISABLED: 'true',
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        done({
          code: error ? Number(error.code ?? 1) : 0,
          stdout,
          stderr,
        }),
    );
  });
}

