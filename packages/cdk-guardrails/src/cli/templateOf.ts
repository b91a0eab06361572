import { existsSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseAllDocuments } from 'yaml';
import type { ServiceManifest } from '../manifest/schema';

/** The annotation the templates write into catalog-info.yaml: `<name>@<version>`. */
export const TEMPLATE_ANNOTATION = 'stackyard.io/template';

/** The template a service was created from and its version. */
export type TemplateRef = { name: string; version: string };

/**
 * The service's template: the manifest's `service.template`, else the
 * `stackyard.io/template` annotation of the Component in the app
 * directory's catalog-info.yaml. Undefined when neither says, or the
 * annotation is not `<name>@<version>`.
 */
export function templateOf(
  appDir: string,
  manifest: ServiceManifest,
): TemplateRef | undefined {
  if (manifest.service.template) return { ...manifest.service.template };
  const file = join(appDir, 'catalog-info.yaml');
  if (!existsSync(file)) return undefined;
  let annotation: unknown;
  try {
    for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
      const entity = doc.toJS() as
        | { kind?: unknown; metadata?: { annotations?: Record<string, unknown> } }
        | undefined;
      if (entity?.kind === 'Component') {
        annotation = entity.metadata?.annotations?.[TEMPLATE_ANNOTATION];
        break;
      }
    }
  } catch {
    // Not ours to validate: the catalog reports a broken catalog-info.yaml.
    return undefined;
  }
  if (typeof annotation !== 'string') return undefined;
  const match = /^([^@\s]{1,255})@([^@\s]{1,64})$/.exec(annotation);
  return match ? { name: match[1], version: match[2] } : undefined;
}
