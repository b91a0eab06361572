/** The template the benchmark runs: its location, sample answers and steps. */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';

export type JsonLike = unknown;

export interface Step {
  id: string;
  action: string;
  input: Record<string, JsonLike>;
}

export const repoRoot = resolve(__dirname, '../../../..');
export const templateName = 'serverless-service';
const templateDir = resolve(repoRoot, 'templates', templateName);
export const templateFile = join(templateDir, 'template.yaml');

/** The template's sample answers (its check-values.yaml), named `name`. */
export const sampleValues = (name: string): Record<string, string> => ({
  ...parse(readFileSync(join(templateDir, 'check-values.yaml'), 'utf8')).values,
  name,
});

/** Whether a step runs for `publishTo: local` (the default publish path). */
function runsOnLocalPath(step: { if?: string }): boolean {
  return !step.if || step.if.includes("parameters.publishTo == 'local'");
}

/** The template's `spec.steps` that run for `publishTo: local`, in order. */
export function templateSteps(): Step[] {
  const template = parse(readFileSync(templateFile, 'utf8'));
  return template.spec.steps.filter(runsOnLocalPath).map((s: any) => ({
    id: s.id,
    action: s.action,
    input: s.input ?? {},
  }));
}
