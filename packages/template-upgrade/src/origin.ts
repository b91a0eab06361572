import { InputError } from '@backstage/errors';
import { TemplateOrigin } from './types';

/** Where a generated repository records its template, version and answers. */
export const ORIGIN_FILE = '.stackyard/template.json';

/** The branch holding the pristine renders of the template, one commit per version. */
export const PRISTINE_BRANCH = 'stackyard/template';

const NAME = /^[a-z0-9][a-z0-9-]{0,62}$/;
const VERSION = /^\d+\.\d+\.\d+(?:-[0-9A-Za-z.-]{1,40})?$/;

/** The branch an upgrade to `version` is merged on. */
export function upgradeBranchName(version: string): string {
  checkVersion(version);
  return `stackyard/upgrade-${version}`;
}

export function checkVersion(version: string): string {
  if (!VERSION.test(version)) {
    throw new InputError(
      `Template version ${JSON.stringify(
        version,
      )} is not a version such as 1.2.0`,
    );
  }
  return version;
}

/** Parses and checks the origin record's text (repository content: data only). */
export function readOrigin(text: string): TemplateOrigin {
  let value: any;
  try {
    value = JSON.parse(text);
  } catch (e) {
    throw new InputError(`${ORIGIN_FILE} is not JSON: ${(e as Error).message}`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new InputError(`${ORIGIN_FILE} must hold an object`);
  }
  if (typeof value.template !== 'string' || !NAME.test(value.template)) {
    throw new InputError(
      `${ORIGIN_FILE} names no valid template (lowercase letters, digits and dashes)`,
    );
  }
  if (typeof value.version !== 'string') {
    throw new InputError(`${ORIGIN_FILE} records no version`);
  }
  checkVersion(value.version);
  const answers = value.answers ?? {};
  if (typeof answers !== 'object' || Array.isArray(answers)) {
    throw new InputError(`${ORIGIN_FILE}'s answers must be an object`);
  }
  return { template: value.template, version: value.version, answers };
}
