import { appendFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import {
  artifactsDir,
  baseUrl as sqliteBaseUrl,
  repoRoot,
} from './portal/paths';
import { postgresPortalVariables } from './portal/postgresPortal';
import {
  registerDeployments,
  seederToken,
  waitForEntity,
} from './infra/seedEnvironments';
import { commitToMain, publishRendered } from '@stackyard/template-upgrade';
import { git } from './templates/publishedService';

const foreignRef = 'component:default/templates-e2e-foreign-service';
/** serverless-service's current version: what Open upgrade goes to. */
const LATEST = '1.2.0';
const OWN_EDIT =
  '\n## Runbook\n\nOur own notes, kept across template upgrades.\n';

/** A portal backend the suite runs on, with where it publishes repositories. */
type Portal = {
  label: string;
  /** Short tag in the service's name. */
  tag: string;
  baseUrl: string;
  publishDirectory: string;
};

const portals: Portal[] = [
  {
    label: 'SQLite',
    tag: 's',
    baseUrl: sqliteBaseUrl,
    publishDirectory:
      process.env.APP_CONFIG_stackyard_scaffolder_localPublishDirectory!,
  },
];
const postgresBaseUrl = process.env[postgresPortalVariables.baseUrl];
if (postgresBaseUrl) {
  portals.push({
    label: 'PostgreSQL',
    tag: 'p',
    baseUrl: postgresBaseUrl,
    publishDirectory: process.env[postgresPortalVariables.publishDirectory]!,
  });
}

describe.each(portals)(
  `Templates page on the $label portal: an entity made from serverless-service 1.0.0 is upgraded to the latest, ${LATEST} (real Chromium, built portal, real stackyard backend and upgrade engine)`,
  portal => {
    const { baseUrl, publishDirectory } = portal;
    // Unique per run: the name ends up in the publish directory and stack name.
    const suffix = `${Date.now().toString(36).slice(-5)}${portal.tag}`;
    const name = `tpl-e2e-${suffix}`;
    const project = `tpl${suffix}`;
    const entityRef = `component:default/${name}`;
    const repoDir = join(publishDirectory, name);
    let browser: Browser;
    let page: Page;
    let consoleErrors: string[];
    let mainBefore: string;

    const shot = (step: string) =>
      page.screenshot({
        path: resolve(artifactsDir, `templates-${portal.tag}-${step}.png`),
        fullPage: true,
      });
    const row = (ref: string) =>
      page.getByTestId('template-entity').filter({ hasText: ref });

    beforeAll(async () => {
      // A service published at 1.0.0 whose owners then edited its README.
      await publishRendered({
        templateDirs: [resolve(repoRoot, 'templates')],
        template: 'serverless-service',
        version: '1.0.0',
        answers: {
          name,
          description: 'Made at 1.0.0 by the Templates page browser test.',
          owner: 'group:default/platform-team',
          system: 'system:default/work-orders',
          project,
          costCenter: 'e2e',
        },
        repoDir,
      });
      mainBefore = await commitToMain(repoDir, dir =>
        appendFileSync(join(dir, 'README.md'), OWN_EDIT),
      );
      const location = await fetch(`${baseUrl}/api/catalog/locations`, {
        method: 'POST',
        headers: {
          Authorization: `Bearer ${seederToken}`,
          'Content-Type': 'application/json',
        },
        body: JSON.stringify({
          type: 'stackyard-local',
          target: join(repoDir, 'catalog-info.yaml'),
        }),
      });
      if (location.status !== 201) {
        throw new Error(
          `Registering ${repoDir}: ${location.status} ${await location.text()}`,
        );
      }
      await waitForEntity(baseUrl, { kind: 'component', name });
      await waitForEntity(baseUrl, {
        kind: 'component',
        name: 'templates-e2e-foreign-service',
      });
      // Its preview, deployed from 1.0.0: what the Infra tab's badge compares.
      await registerDeployments(baseUrl, [
        {
          entityRef,
          target: 'local',
          prefix: project,
          stage: 'dev',
          stackName: `${project}-dev`,
          status: 'ready',
          templateName: 'serverless-service',
          templateVersion: '1.0.0',
        },
      ]);

      browser = await launchChromium();
      page = await browser.newPage({ viewport: { width: 1500, height: 1100 } });
      consoleErrors = recordConsoleErrors(page);
      await signInAsGuest(page, baseUrl);
    }, 120_000);

    afterAll(async () => {
      await browser?.close();
    });

    it("shows the Infra tab's newer-version badge, which opens the entity's upgrade", async () => {
      await page.goto(`${baseUrl}/catalog/default/component/${name}/infra`);
      const badge = page.getByRole('link', {
        name: `Newer version ${LATEST} available: open the upgrade`,
      });
      await badge.waitFor({ timeout: 30_000 });
      await shot('1-infra-badge');
      await badge.click();
      await page.waitForURL(/\/stackyard\/templates\?entity=/);
      expect(new URL(page.url()).searchParams.get('entity')).toBe(entityRef);
      await row(entityRef).waitFor({ timeout: 30_000 });
    });

    it(`lists the entity as behind, with the changelog of every version since 1.0.0 (1.1.0 and ${LATEST})`, async () => {
      expect(await row(entityRef).textContent()).toContain('1.0.0 Behind');
      expect(
        await page
          .getByRole('checkbox', { name: `Select ${entityRef}` })
          .isChecked(),
      ).toBe(true);
      // This template's entries (other templates list their own 1.1.0).
      const entry = (version: string) =>
        page
          .locator('[aria-label="Changelog of serverless-service"]')
          .getByTestId('changelog-entry')
          .filter({ has: page.locator('strong', { hasText: version }) });
      expect(await entry(LATEST).textContent()).toContain(
        'An HTTP entry point',
      );
      expect(await entry('1.1.0').textContent()).toContain(
        'Alarms in every stage',
      );
      await shot('2-behind');
    });

    it(`opens the upgrade: the branch has ${LATEST} merged and the service’s own edit kept, main untouched`, async () => {
      await page
        .getByRole('button', { name: `Open upgrade of ${entityRef}` })
        .click();
      const result = row(entityRef).getByTestId('upgrade-result');
      // The state chip, not a progress step ("Merged 1.2.0 into …").
      await result
        .filter({
          hasText: new RegExp(
            `(Merged|Merged with conflicts|Failed) \\(${LATEST}\\)`,
          ),
        })
        .waitFor({
          timeout: 240_000,
        });
      await shot('3-upgraded');
      const text = await result.textContent();
      expect(text).toContain(`Merged (${LATEST})`);
      expect(text).toContain(
        `Branch stackyard/upgrade-${LATEST} · tests passed · policy passed`,
      );

      const branch = `stackyard/upgrade-${LATEST}`;
      const origin = JSON.parse(
        git(['show', `${branch}:.stackyard/template.json`], repoDir),
      );
      expect(origin).toMatchObject({
        template: 'serverless-service',
        version: LATEST,
      });
      // What 1.1.0 and 1.2.0 brought: the alarms' answer, the HTTP route.
      const manifest = git(['show', `${branch}:stackyard.yaml`], repoDir);
      expect(manifest).toMatch(/maxMessageAgeMinutes: 15/);
      expect(manifest).toMatch(/POST \/jobs: intake/);
      expect(git(['show', `${branch}:README.md`], repoDir)).toContain(
        'Our own notes, kept across template upgrades.',
      );
      expect(git(['rev-parse', 'main'], repoDir)).toBe(mainBefore);
    });

    it('gives no upgrade button for an entity whose template and entity the user does not own', async () => {
      const foreign = row(foreignRef);
      await foreign.waitFor();
      expect(await foreign.textContent()).toContain(
        "Only its owners and the template's owners can upgrade it",
      );
      expect(await foreign.getByRole('button').count()).toBe(0);
      expect(await foreign.getByRole('checkbox').count()).toBe(0);
    });

    it('logged no console errors', () => {
      expect(consoleErrors).toEqual([]);
    });
  },
);
