import type {
  BackstageCredentials,
  HttpAuthService,
} from '@backstage/backend-plugin-api';
import { InputError, NotFoundError } from '@backstage/errors';
import {
  ListTemplatesResponse,
  TemplateEntity,
  TemplateSummary,
  TemplateUpgrade,
  TemplateUpgradesResponse,
  compareVersions,
  stackyardTemplateUpgradePermission,
  startTemplateUpgradesRequestSchema,
  templateNameSchema,
} from '@stackyard/plugin-stackyard-common';
import type express from 'express';
import type { EnvironmentGuard } from '../service/EnvironmentGuard';
import { parseInput } from '../service/validation';
import type {
  CatalogTemplate,
  TemplateCatalog,
  TemplatedEntity,
} from './TemplateCatalog';
import type { TemplateUpgrader } from './TemplateUpgrader';
import type { TemplateUpgradeStore } from './TemplateUpgradeStore';

/** Dependencies of {@link addTemplateRoutes}. */
export type TemplateRoutesOptions = {
  httpAuth: HttpAuthService;
  guard: EnvironmentGuard;
  catalog: TemplateCatalog;
  upgrades: TemplateUpgradeStore;
  upgrader: TemplateUpgrader;
};

const lower = (ref: string) => ref.toLocaleLowerCase('en-US');

/** Why the portal cannot upgrade the entity, if it cannot. */
function blockedReason(
  entity: TemplatedEntity,
  template: CatalogTemplate,
): string | undefined {
  if (!entity.repoDir && !entity.repoUrl) {
    return 'its repository is neither published locally (stackyard:publish:local) nor on a GitHub or GitLab host with an integration (its backstage.io/source-location)';
  }
  if (!template.directory) {
    return `template "${template.name}" is not registered from a folder the backend can read`;
  }
  return undefined;
}

const isBehind = (version: string | undefined, latest: string | undefined) =>
  Boolean(version && latest && compareVersions(latest, version) === 1);

/**
 * `GET /templates`, `POST /templates/{name}/upgrades` and
 * `GET /templates/{name}/upgrades`: templates with their versions, entities
 * and changelog, and guarded upgrades of entities to the current version.
 */
export function addTemplateRoutes(
  router: express.Router,
  options: TemplateRoutesOptions,
): void {
  const { httpAuth, guard, catalog, upgrades, upgrader } = options;
  const credentials = (req: express.Request): Promise<BackstageCredentials> =>
    httpAuth.credentials(req, { allow: ['user', 'service'] });

  router.get('/templates', async (req, res) => {
    const caller = await credentials(req);
    const [templates, entities] = await Promise.all([
      catalog.templates(caller),
      catalog.entities(caller),
    ]);
    const body: ListTemplatesResponse = {
      templates: await Promise.all(
        templates.map(template =>
          summarize(template, entities.get(template.name) ?? [], caller),
        ),
      ),
    };
    res.json(body);
  });

  async function summarize(
    template: CatalogTemplate,
    entities: TemplatedEntity[],
    caller: BackstageCredentials,
  ): Promise<TemplateSummary> {
    const latest = template.latestVersion;
    const [changelog, lastUpgrades, allowed] = await Promise.all([
      catalog.changelog(template),
      upgrades.latestOf(template.name),
      guard.allowedOn(
        stackyardTemplateUpgradePermission,
        [template.entityRef, ...entities.map(e => e.entityRef)],
        caller,
      ),
    ]);
    const [onTemplate, ...onEntities] = allowed;
    const lastByEntity = new Map(lastUpgrades.map(u => [u.entityRef, u]));
    const counts = new Map<string, number>();
    for (const v of [latest, ...changelog.map(e => e.version)]) {
      if (v) counts.set(v, 0);
    }
    for (const entity of entities) {
      if (entity.version) {
        counts.set(entity.version, (counts.get(entity.version) ?? 0) + 1);
      }
    }
    const rows: TemplateEntity[] = entities.map((entity, i) => ({
      entityRef: entity.entityRef,
      title: entity.title,
      version: entity.version,
      behind: isBehind(entity.version, latest),
      canUpgrade: onTemplate || onEntities[i],
      blockedReason: blockedReason(entity, template),
      lastUpgrade: lastByEntity.get(lower(entity.entityRef)),
    }));
    return {
      name: template.name,
      entityRef: template.entityRef,
      title: template.title,
      owner: template.owner,
      latestVersion: latest,
      versions: [...counts]
        .map(([version, n]) => ({ version, entities: n }))
        .sort((a, b) => compareVersions(b.version, a.version) ?? 0),
      changelog,
      entities: rows.sort((a, b) => a.entityRef.localeCompare(b.entityRef)),
    };
  }

  router.post('/templates/:name/upgrades', async (req, res) => {
    const caller = await credentials(req);
    const name = parseInput(
      templateNameSchema,
      req.params.name,
      'template name',
    );
    const started = await guard.run(
      {
        eventId: 'template-upgrade',
        severityLevel: 'medium',
        request: req,
        credentials: caller,
        meta: { templateName: name },
      },
      async g => {
        const { entityRefs } = parseInput(
          startTemplateUpgradesRequestSchema,
          req.body,
          'upgrade request',
        );
        const refs = [...new Set(entityRefs.map(lower))];
        g.record({ entityRefs: refs });
        const template = await catalog.template(name, caller);
        if (!template) throw new NotFoundError(`No template "${name}"`);
        const latest = template.latestVersion!;
        g.record({ toVersion: latest });
        const found = await catalog.entitiesByRefs(refs, caller);
        const entities = refs.map((ref, i) => {
          const entity = found[i];
          if (!entity) throw new NotFoundError(`No entity ${ref}`);
          if (entity.templateName !== name) {
            throw new InputError(
              `Invalid upgrade: ${ref} was made from template "${entity.templateName}", not "${name}"`,
            );
          }
          if (!isBehind(entity.version, latest)) {
            throw new InputError(
              `Invalid upgrade: ${ref} is on ${
                entity.version ?? 'no recorded version'
              }, not behind ${name} ${latest}`,
            );
          }
          return entity;
        });
        // The template's owners may upgrade every entity made from it;
        // otherwise each entity is decided on its own (its owners).
        const [onTemplate] = await guard.allowedOn(
          stackyardTemplateUpgradePermission,
          [template.entityRef],
          caller,
        );
        g.record({ grantedOnTemplate: onTemplate });
        if (!onTemplate) {
          for (const entity of entities) {
            await g.authorize(
              stackyardTemplateUpgradePermission,
              entity.entityRef,
              `You may not upgrade ${entity.entityRef}: that needs the stackyard.template.upgrade permission (granted to its owners and to the owners of ${template.entityRef})`,
            );
          }
        }
        const runnable = entities.map(entity => {
          const reason = blockedReason(entity, template);
          if (reason || !template.directory) {
            throw new InputError(
              `Invalid upgrade: ${entity.entityRef} cannot be upgraded from the portal: ${reason}`,
            );
          }
          return {
            entity,
            repoDir: entity.repoDir,
            repoUrl: entity.repoUrl,
            templateDir: template.directory,
          };
        });
        const result: TemplateUpgrade[] = [];
        for (const job of runnable) {
          const { upgrade, created } = await upgrades.start({
            templateName: name,
            entityRef: lower(job.entity.entityRef),
            fromVersion: job.entity.version,
            toVersion: latest,
            actor: g.actor,
          });
          if (created) upgrader.enqueue({ ...job, upgrade });
          result.push(upgrade);
        }
        g.record({ upgradeIds: result.map(u => u.id) });
        return result;
      },
    );
    const body: TemplateUpgradesResponse = { upgrades: started };
    res.status(202).json(body);
  });

  router.get('/templates/:name/upgrades', async (req, res) => {
    await credentials(req);
    const name = parseInput(
      templateNameSchema,
      req.params.name,
      'template name',
    );
    const body: TemplateUpgradesResponse = {
      upgrades: await upgrades.latestOf(name),
    };
    res.json(body);
  });
}
