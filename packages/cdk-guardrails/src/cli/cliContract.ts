import { StackyardNameError } from '@stackyard/plugin-stackyard-common';
import { ManifestError } from '../manifest/ManifestError';
import { StageConfigError } from '../stages/stageConfig';
import { BadInputError } from './readTemplates';

/** Exit code: no findings. */
export const EXIT_OK = 0;
/** Exit code: the policy found violations. */
export const EXIT_FINDINGS = 1;
/** Exit code: bad input (unreadable file, not a template, invalid arguments or manifest). */
export const EXIT_BAD_INPUT = 2;
/**
 * Exit code of `deploy`: the deploy failed or was refused (CloudFormation
 * rolled it back, or it broadens permissions without approval). A deploy
 * that succeeded exits 0 even when registering it with the portal failed.
 */
export const EXIT_DEPLOY_FAILED = 3;

/** Where the CLI writes. */
export interface CliOutput {
  stdout(line: string): void;
  stderr(line: string): void;
}

/** Arguments the CLI refuses: exit 2 with the usage. */
export class UsageError extends Error {}

function isParseArgsError(e: unknown): e is Error {
  const code = (e as { code?: unknown } | undefined)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}

/** True for errors that mean bad input (exit 2), said in one line. */
export function isBadInput(e: unknown): boolean {
  return (
    e instanceof BadInputError ||
    e instanceof ManifestError ||
    e instanceof StackyardNameError ||
    e instanceof StageConfigError ||
    isParseArgsError(e)
  );
}
