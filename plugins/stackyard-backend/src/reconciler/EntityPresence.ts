import type { AuthService } from '@backstage/backend-plugin-api';
import { parseEntityRef, stringifyEntityRef } from '@backstage/catalog-model';
import type { CatalogService } from '@backstage/plugin-catalog-node';

/** Which entities the catalog lacks. */
export interface EntityPresence {
  /**
   * The refs among `entityRefs` (lower case) that name no catalog entity.
   * Throws when the catalog cannot be asked: nobody is flagged then.
   */
  missingOf(entityRefs: string[]): Promise<string[]>;
}

/** Refs per getEntitiesByRefs call. */
const BATCH = 500;

/**
 * {@link EntityPresence} from the catalog: one getEntitiesByRefs call per
 * 500 refs, with the plugin's own service credentials (the reconciler acts
 * for nobody). Refs that do not parse name no entity and are not sent.
 */
export class CatalogEntityPresence implements EntityPresence {
  static create(options: {
    catalog: CatalogService;
    auth: AuthService;
  }): CatalogEntityPresence {
    return new CatalogEntityPresence(options.catalog, options.auth);
  }

  private constructor(
    private readonly catalog: CatalogService,
    private readonly auth: AuthService,
  ) {}

  async missingOf(entityRefs: string[]): Promise<string[]> {
    const missing: string[] = [];
    // Stored ref → the ref the catalog is asked for.
    const valid: [string, string][] = [];
    for (const ref of entityRefs) {
      try {
        valid.push([ref, stringifyEntityRef(parseEntityRef(ref))]);
      } catch {
        missing.push(ref);
      }
    }
    if (valid.length === 0) return missing;
    const credentials = await this.auth.getOwnServiceCredentials();
    for (let i = 0; i < valid.length; i += BATCH) {
      const batch = valid.slice(i, i + BATCH);
      const { items } = await this.catalog.getEntitiesByRefs(
        {
          entityRefs: batch.map(([, asked]) => asked),
          fields: ['kind', 'metadata.namespace', 'metadata.name'],
        },
        { credentials },
      );
      batch.forEach(([ref], index) => {
        if (!items[index]) missing.push(ref);
      });
    }
    return missing;
  }
}
