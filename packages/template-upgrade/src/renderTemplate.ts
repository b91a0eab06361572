import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { pathToFileURL } from 'url';
import { ConfigReader } from '@backstage/config';
import { InputError, NotFoundError } from '@backstage/errors';
import { ScmIntegrations } from '@backstage/integration';
import { createFetchTemplateAction } from '@backstage/plugin-scaffolder-backend';
import { parse } from 'yaml';
import { resolveAnswers } from './answers';
import { checkVersion } from './origin';

/** A template at one version: its folder (template.yaml + skeleton) and definition. */
export interface TemplateVersion {
  readonly name: string;
  readonly version: string;
  readonly dir: string;
  readonly definition: any;
}

const VERSION_ANNOTATION = 'stackyard.io/template-version';

function load(dir: string): TemplateVersion | undefined {
  const file = join(dir, 'template.yaml');
  if (!existsSync(file)) return undefined;
  const definition = parse(readFileSync(file, 'utf8'));
  return {
    name: String(definition?.metadata?.name),
    version: String(definition?.metadata?.annotations?.[VERSION_ANNOTATION]),
    dir,
    definition,
  };
}

/**
 * Every version of every template in `templateDirs`: each is a template's
 * own folder (holding template.yaml) or a folder of such folders; a
 * template's earlier versions are in its `versions/<version>/`.
 */
export function listTemplateVersions(
  templateDirs: readonly string[],
): TemplateVersion[] {
  const found: TemplateVersion[] = [];
  const addTemplate = (dir: string) => {
    const current = load(dir);
    if (!current) return;
    found.push(current);
    const versions = join(dir, 'versions');
    if (!existsSync(versions)) return;
    for (const v of readdirSync(versions)) {
      const old = load(join(versions, v));
      if (old) found.push(old);
    }
  };
  for (const root of templateDirs) {
    if (!existsSync(root)) continue;
    if (existsSync(join(root, 'template.yaml'))) {
      addTemplate(root);
      continue;
    }
    for (const entry of readdirSync(root, { withFileTypes: true })) {
      if (entry.isDirectory()) addTemplate(join(root, entry.name));
    }
  }
  return found;
}

/**
 * The folder of template `name` at `version` (default: its current
 * version, the one in `<dir>/<name>/template.yaml`).
 */
export function findTemplateVersion(
  templateDirs: readonly string[],
  name: string,
  version?: string,
): TemplateVersion {
  if (version !== undefined) checkVersion(version);
  const all = listTemplateVersions(templateDirs).filter(t => t.name === name);
  if (all.length === 0) {
    throw new NotFoundError(`No template ${JSON.stringify(name)} is known`);
  }
  const match =
    version === undefined ? all[0] : all.find(t => t.version === version);
  if (!match) {
    throw new NotFoundError(
      `Template ${name} has no version ${version} (known: ${all
        .map(t => t.version)
        .join(', ')})`,
    );
  }
  return match;
}

const PARAMETER = /^\$\{\{\s*parameters\.([A-Za-z_][A-Za-z0-9_]*)\s*\}\}$/;

/** A render step's input with `${{ parameters.x }}` replaced by the answer. */
function evaluate(
  value: unknown,
  parameters: Record<string, unknown>,
): unknown {
  if (typeof value === 'string') {
    const whole = PARAMETER.exec(value);
    if (whole) return parameters[whole[1]];
    if (value.includes('${{')) {
      throw new InputError(
        `The render step input ${JSON.stringify(
          value,
        )} is an expression upgrades do not evaluate: render steps may use plain values and \${{ parameters.<name> }} only`,
      );
    }
    return value;
  }
  if (Array.isArray(value)) return value.map(v => evaluate(v, parameters));
  if (value && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value).map(([k, v]) => [k, evaluate(v, parameters)]),
    );
  }
  return value;
}

/** The template's `fetch:template` steps: what makes the repository's files. */
export function renderSteps(definition: any): any[] {
  const steps: any[] = definition?.spec?.steps ?? [];
  const render = steps.filter(s => s?.action === 'fetch:template');
  for (const step of render) {
    if (step.if !== undefined || step.each !== undefined) {
      throw new InputError(
        `Render step ${step.id} is conditional or repeated, which upgrades do not evaluate`,
      );
    }
  }
  if (render.length === 0) {
    throw new InputError('The template has no fetch:template step to render');
  }
  return render;
}

/** The parameters the render steps read. */
export function renderedParameters(definition: any): string[] {
  const names = new Set<string>();
  const visit = (value: unknown) => {
    if (typeof value === 'string') {
      const whole = PARAMETER.exec(value);
      if (whole) names.add(whole[1]);
    } else if (value && typeof value === 'object') {
      Object.values(value).forEach(visit);
    }
  };
  renderSteps(definition).forEach(step => visit(step.input));
  return [...names];
}

const silent = {
  info() {},
  warn() {},
  error() {},
  debug() {},
  child() {
    return silent;
  },
};

let fetchTemplate: ReturnType<typeof createFetchTemplateAction> | undefined;

/**
 * Renders a template version into `outDir` (empty or absent) with the given
 * form answers, exactly as the scaffolder's `fetch:template` does in a task
 * (the same action, reading the skeleton from the template's folder). Answers
 * are checked against the version's form first; new parameters take their
 * defaults.
 */
export async function renderTemplate(options: {
  template: TemplateVersion;
  answers: Record<string, unknown>;
  overrides?: Record<string, unknown>;
  outDir: string;
}): Promise<{ defaulted: string[] }> {
  const { template, outDir } = options;
  const { parameters, defaulted } = resolveAnswers({
    template: template.definition,
    version: template.version,
    recorded: options.answers,
    overrides: options.overrides,
    needed: renderedParameters(template.definition),
  });
  // Only local file: templates are rendered; no integration is used.
  fetchTemplate ??= createFetchTemplateAction({
    reader: {
      readUrl: async () => {
        throw new Error('upgrades read templates from disk only');
      },
      readTree: async () => {
        throw new Error('upgrades read templates from disk only');
      },
      search: async () => {
        throw new Error('upgrades read templates from disk only');
      },
    } as any,
    integrations: ScmIntegrations.fromConfig(new ConfigReader({})),
  });
  const temporary: string[] = [];
  try {
    for (const step of renderSteps(template.definition)) {
      await fetchTemplate.handler({
        input: evaluate(step.input ?? {}, parameters),
        workspacePath: outDir,
        logger: silent,
        templateInfo: {
          baseUrl: pathToFileURL(join(template.dir, 'template.yaml')).href,
        },
        createTemporaryDirectory: async () => {
          const dir = mkdtempSync(join(tmpdir(), 'stackyard-render-'));
          temporary.push(dir);
          return dir;
        },
        output() {},
        checkpoint: async ({ fn }: { fn: () => unknown }) => fn(),
        getInitiatorCredentials: async () => ({}),
        isDryRun: false,
        secrets: {},
      } as any);
    }
  } finally {
    for (const dir of temporary) rmSync(dir, { recursive: true, force: true });
  }
  return { defaulted };
}
