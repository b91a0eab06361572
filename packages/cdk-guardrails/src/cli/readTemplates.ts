import { readFileSync, statSync } from 'fs';
import { basename, join } from 'path';
import { CloudAssembly } from 'aws-cdk-lib/cx-api';
import { parse as parseYaml } from 'yaml';

/** A template to check, with the names findings use. */
export interface TemplateInput {
  /** The stack's display name. */
  readonly stack: string;
  /** The stack's construct path, when known (from a cloud assembly). */
  readonly stackPath?: string;
  /** The parsed template. */
  readonly template: unknown;
  /** Where it came from. */
  readonly source: string;
}

/** Thrown for input that cannot be checked: unreadable, or not a template. */
export class BadInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BadInputError';
  }
}

function readAssembly(dir: string): TemplateInput[] {
  let assembly: CloudAssembly;
  try {
    assembly = new CloudAssembly(dir);
  } catch (e) {
    throw new BadInputError(
      `${JSON.stringify(dir)} is not a cloud assembly (cdk.out) directory: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return assembly.stacksRecursively.map(stack => ({
    stack: stack.stackName,
    stackPath: stack.hierarchicalId,
    template: stack.template,
    source: join(dir, stack.templateFile),
  }));
}

function stackNameOfFile(file: string): string {
  return basename(file).replace(/(\.template)?\.(json|ya?ml)$/i, '');
}

function readTemplateFile(file: string): TemplateInput {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    throw new BadInputError(`cannot read ${JSON.stringify(file)}: ${(e as Error).message}`);
  }
  let template: unknown;
  try {
    template = text.trimStart().startsWith('{') ? JSON.parse(text) : parseYaml(text, { logLevel: 'silent' });
  } catch (e) {
    throw new BadInputError(
      `${JSON.stringify(file)} is not a JSON or YAML template: ${(e as Error).message.split('\n')[0]}`,
    );
  }
  return { stack: stackNameOfFile(file), template, source: file };
}

/**
 * Reads the templates of cloud assembly directories (including nested
 * assemblies of Stages) and template files. Throws {@link BadInputError} for
 * anything unreadable.
 */
export function readTemplates(inputs: readonly string[]): TemplateInput[] {
  return inputs.flatMap(input => {
    let isDir: boolean;
    try {
      isDir = statSync(input).isDirectory();
    } catch (e) {
      throw new BadInputError(`cannot read ${JSON.stringify(input)}: ${(e as Error).message}`);
    }
    return isDir ? readAssembly(input) : [readTemplateFile(input)];
  });
}
