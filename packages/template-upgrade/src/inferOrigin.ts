import { parse } from 'yaml';
import { readOrigin } from './origin';
import { TemplateOrigin } from './types';

const TEMPLATE_ANNOTATION = 'stackyard.io/template';

/**
 * The origin of a repository generated before origins were recorded, read
 * from what every Stackyard template renders: the template and version from
 * catalog-info.yaml's `stackyard.io/template` annotation (`name@version`),
 * the answers from the entity (name, description, owner, system, project)
 * and stackyard.yaml (costCenter). Undefined when those do not say.
 */
export function inferOrigin(files: {
  catalogInfo?: string;
  manifest?: string;
}): TemplateOrigin | undefined {
  let entity: any;
  let manifest: any;
  try {
    entity = files.catalogInfo ? parse(files.catalogInfo) : undefined;
    manifest = files.manifest ? parse(files.manifest) : undefined;
  } catch {
    return undefined;
  }
  const recorded = entity?.metadata?.annotations?.[TEMPLATE_ANNOTATION];
  const match =
    typeof recorded === 'string' ? /^([^@]+)@([^@]+)$/.exec(recorded) : null;
  if (!match) return undefined;
  const answers: Record<string, unknown> = {
    name: entity.metadata?.name,
    description: entity.metadata?.description,
    owner: entity.spec?.owner,
    system: entity.spec?.system,
    project:
      entity.metadata?.annotations?.['stackyard.io/project'] ??
      manifest?.service?.project,
    costCenter: manifest?.service?.costCenter,
  };
  for (const [key, value] of Object.entries(answers)) {
    if (typeof value !== 'string') delete answers[key];
  }
  // Checked as a recorded file would be.
  return readOrigin(
    JSON.stringify({ template: match[1], version: match[2], answers }),
  );
}
