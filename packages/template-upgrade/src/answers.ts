import { InputError } from '@backstage/errors';
import { Validator } from 'jsonschema';

/** Recorded answers that the new version's form refuses. */
export class AnswerValidationError extends InputError {
  constructor(readonly problems: string[], version: string) {
    super(
      `The recorded answers do not fit version ${version} of the template: ${problems.join(
        '; ',
      )}. Give corrected answers (the upgrade's "answers" input) and run it again`,
    );
  }
}

type Schema = Record<string, any>;

/** The pages of a template's form (`spec.parameters`: one object or a list). */
function pagesOf(template: any): Schema[] {
  const parameters = template?.spec?.parameters;
  if (Array.isArray(parameters)) return parameters;
  return parameters && typeof parameters === 'object' ? [parameters] : [];
}

/**
 * The parameters a render of `template` uses: the recorded answers, given
 * overrides, and for everything else the form's defaults. Every value is
 * checked against its property's schema (as the form would have checked it:
 * types, patterns, enums, lengths), and a parameter the render needs that
 * has neither an answer nor a default is a problem too.
 */
export function resolveAnswers(options: {
  template: any;
  version: string;
  recorded: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  /** Parameters the render steps read. */
  needed: readonly string[];
}): { parameters: Record<string, unknown>; defaulted: string[] } {
  const { template, version, needed } = options;
  const given = { ...options.recorded, ...options.overrides };
  const properties: Record<string, Schema> = {};
  for (const page of pagesOf(template)) {
    Object.assign(properties, page.properties ?? {});
  }
  const parameters: Record<string, unknown> = {};
  const defaulted: string[] = [];
  const problems: string[] = [];
  const validator = new Validator();
  for (const [name, schema] of Object.entries(properties)) {
    if (given[name] !== undefined) {
      parameters[name] = given[name];
    } else if (schema.default !== undefined) {
      parameters[name] = schema.default;
      if (needed.includes(name)) defaulted.push(name);
    } else {
      continue;
    }
    // ui:* keys are the form's, not JSON schema's.
    const plain = Object.fromEntries(
      Object.entries(schema).filter(([key]) => !key.startsWith('ui:')),
    );
    const result = validator.validate(parameters[name], plain);
    for (const error of result.errors) {
      problems.push(
        `${name} ${JSON.stringify(parameters[name])} ${error.message}`,
      );
    }
  }
  for (const name of needed) {
    if (parameters[name] === undefined) {
      problems.push(
        properties[name]
          ? `${name} is a new question with no default`
          : `${name} is not a parameter of this version's form`,
      );
    }
  }
  if (problems.length > 0) throw new AnswerValidationError(problems, version);
  return { parameters, defaulted };
}
