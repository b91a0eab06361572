import { resolve } from 'node:path';
import type { Browser, BrowserContext, Locator, Page } from 'playwright-core';
import { launchChromium } from './browser/launchChromium';
import { recordConsoleErrors } from './browser/consoleErrors';
import { signInAsGuest } from './browser/signIn';
import { awsTarget } from './infra/loopbackAws';
import { waitForEntity } from './infra/seedEnvironments';
import { artifactsDir } from './portal/paths';
import { RestartablePortal } from './portal/restartablePortal';
import { captureBackendToken } from './wizard/capturedToken';

// The people (src/fixtures/approvals-entities.yaml): alice and bob are in
// the team that owns the services alice creates; carol is an approver.
const ALICE = 'user:default/alice';
const BOB = 'user:default/bob';
const CAROL = 'user:default/carol';
const TEAM = 'group:default/approvals-e2e-team';
const APPROVERS = 'group:default/approvals-e2e-approvers';

/** Two services alice creates on the loopback aws target, staging stage. */
const approved = {
  name: 'approvals-approved',
  project: 'apa',
  stackName: 'apa-staging',
};
const rejected = {
  name: 'approvals-rejected',
  project: 'apr',
  stackName: 'apr-staging',
};

const APPROVERS_ONLY =
  'Only members of the approver groups (stackyard.approvals.approverGroups) can approve or reject deploys';

/** One person's browser session: a fresh context, so nothing carries over. */
type Session = {
  context: BrowserContext;
  page: Page;
  token: () => string;
  consoleErrors: string[];
};

/** Whether the app has called the backend yet (see captureBackendToken). */
function hasToken(token: () => string) {
  try {
    return Boolean(token());
  } catch {
    return false;
  }
}

/** The `sub` of a Backstage user token. */
const subjectOf = (token: string) =>
  JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString()).sub;

describe('Reviewed approvals with three people on one portal restarted as each (real Chromium, built portal, loopback AWS endpoint as the aws target)', () => {
  let portal: RestartablePortal;
  let browser: Browser;
  let session: Session;
  const consoleErrors: Record<string, string[]> = {};
  /** Environment ids by stack name, read as alice. */
  const environmentIds: Record<string, string> = {};

  const page = () => session.page;
  const shot = (name: string) =>
    page().screenshot({
      path: resolve(artifactsDir, `approvals-${name}.png`),
      fullPage: true,
    });

  /** Restarts the portal as `user` and signs them in in a fresh context. */
  async function become(user: string) {
    await session?.context.close();
    await portal.startAs(user);
    // Signed in before the catalog has read the person, the portal would
    // know none of their groups (a first start reads the fixture then).
    await waitForEntity(portal.baseUrl, {
      kind: 'user',
      name: user.replace(/^.*\//, ''),
    });
    const context = await browser.newContext({
      viewport: { width: 1400, height: 1000 },
    });
    const p = await context.newPage();
    session = {
      context,
      page: p,
      token: captureBackendToken(p),
      consoleErrors: recordConsoleErrors(p),
    };
    consoleErrors[user] = session.consoleErrors;
    await signInAsGuest(p, portal.baseUrl);
    // The restart took: the portal signed the guest in as this person (the
    // token is the one the catalog page calls the backend with).
    for (let tries = 0; !hasToken(session.token); tries++) {
      if (tries === 100)
        throw new Error(`${user}'s app never called the backend`);
      await p.waitForTimeout(200);
    }
    expect(subjectOf(session.token())).toBe(user);
  }

  /** Calls the portal's API with the signed-in person's token. */
  async function api(path: string, init: RequestInit = {}) {
    const response = await fetch(`${portal.baseUrl}/api/${path}`, {
      ...init,
      headers: {
        Authorization: `Bearer ${session.token()}`,
        'Content-Type': 'application/json',
      },
    });
    const text = await response.text();
    return { status: response.status, body: text ? JSON.parse(text) : null };
  }

  const decide = (stackName: string, decision: object) =>
    api(`stackyard/environments/${environmentIds[stackName]}/approval`, {
      method: 'POST',
      body: JSON.stringify(decision),
    });

  const approvalOf = async (stackName: string) =>
    (await api(`stackyard/environments/${environmentIds[stackName]}/approval`))
      .body;

  const loopbackStack = (stackName: string) =>
    portal.aws.cloudFormation.stacks.get(stackName);

  /** Opens a service's Infra tab; its environment's card. */
  async function infraCard(service: { name: string; stackName: string }) {
    await page().goto(
      `${portal.baseUrl}/catalog/default/component/${service.name}/infra`,
    );
    const card = page().getByRole('region', {
      name: service.stackName,
      exact: true,
    });
    await card.waitFor({ timeout: 30_000 });
    return card;
  }

  /** Waits until a blocked button is usable (its permission has loaded). */
  async function whenUsable(button: Locator) {
    await page().waitForFunction(
      el => el && el.getAttribute('aria-disabled') !== 'true',
      await button.elementHandle(),
      { timeout: 15_000 },
    );
  }

  beforeAll(async () => {
    portal = await RestartablePortal.create({
      name: 'approvals',
      config: {
        // Paths are relative to packages/backend; arrays replace the
        // e2e config's, so the base locations are repeated.
        catalog: {
          locations: [
            { type: 'file', target: '../../catalog/org.yaml' },
            { type: 'file', target: '../../catalog/entities.yaml' },
            { type: 'file', target: '../../templates/*/template.yaml' },
            {
              type: 'file',
              target: '../e2e-tests/src/fixtures/approvals-entities.yaml',
            },
          ],
        },
        stackyard: { approvals: { approverGroups: [APPROVERS] } },
      },
    });
    browser = await launchChromium();
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await portal?.stop();
  }, 60_000);

  it('as alice (who owns the services, no approver): a first deploy to the loopback aws target creates IAM roles, so it is held, its change set kept, unexecuted', async () => {
    await become(ALICE);
    await waitForEntity(portal.baseUrl, {
      kind: 'template',
      name: 'serverless-service',
    });

    // The second service, through the scaffolder's API as alice: the same
    // template and deploy step as the wizard; carol rejects it later.
    const task = await api('scaffolder/v2/tasks', {
      method: 'POST',
      body: JSON.stringify({
        templateRef: 'template:default/serverless-service',
        values: {
          name: rejected.name,
          owner: TEAM,
          system: 'system:default/work-orders',
          project: rejected.project,
          costCenter: 'cc-1234',
          target: awsTarget.name,
          stage: 'staging',
          // The API applies none of the form's defaults.
          description: 'Held, then rejected',
          branch: 'main',
          maxJobAgeMinutes: 15,
          publishTo: 'local',
        },
      }),
    });
    expect(task.status).toBe(201);

    // The first through the wizard.
    await page().goto(`${portal.baseUrl}/create`);
    const templateCard = page()
      .getByText('Serverless service (Lambda + SQS + DynamoDB)', {
        exact: true,
      })
      .locator(
        'xpath=ancestor::*[.//button[@data-testid="template-card-actions--create"]][1]',
      );
    await templateCard.getByTestId('template-card-actions--create').click();
    await page().getByRole('textbox', { name: 'Name' }).fill(approved.name);
    for (const [label, option] of [
      ['Owner', /approvals.e2e.team/i],
      ['System', /work.orders/i],
    ] as const) {
      await page().getByRole('textbox', { name: label }).click();
      await page().getByRole('option', { name: option }).first().click();
    }
    await page().getByRole('button', { name: 'Next' }).click();
    await page()
      .getByRole('textbox', { name: 'Project code' })
      .fill(approved.project);
    await page().getByRole('textbox', { name: 'Cost center' }).fill('cc-1234');
    await page().getByRole('button', { name: 'Next' }).click();

    // The MUI selects of the target and stage pickers.
    const select = (testId: string) =>
      page().getByTestId(testId).locator('xpath=..').getByRole('button');
    const choose = async (testId: string, option: RegExp) => {
      await select(testId).click();
      await page()
        .getByRole('listbox')
        .getByRole('option', { name: option })
        .click();
      await page().locator('.MuiPopover-root').waitFor({ state: 'detached' });
    };
    await choose('stackyard-target-picker', /^e2e-aws/);
    await choose('stackyard-stage-picker', /^staging/);
    await page().getByRole('button', { name: 'Next' }).click();
    await page()
      .getByText('Local git directory (no Git host needed)')
      .waitFor();
    await page().getByRole('button', { name: 'Review' }).click();
    await page().getByRole('button', { name: 'Create' }).click();
    await page()
      .getByText('passed the safety policy and was published to')
      .waitFor({ timeout: 180_000 });
    await shot('1-alice-task');

    for (let deadline = Date.now() + 120_000; ; ) {
      const { body } = await api(`scaffolder/v2/tasks/${task.body.id}`);
      if (body.status === 'completed') break;
      if (body.status !== 'open' && body.status !== 'processing') {
        throw new Error(`The API task ended ${body.status}`);
      }
      if (Date.now() > deadline) throw new Error('The API task never ended');
      await new Promise(r => setTimeout(r, 1000));
    }

    for (const service of [approved, rejected]) {
      const listed = await api(
        `stackyard/environments?entityRef=component:default/${service.name}`,
      );
      expect(listed.body.items).toHaveLength(1);
      const environment = listed.body.items[0];
      expect(environment).toMatchObject({
        stackName: service.stackName,
        target: awsTarget.name,
        status: 'awaiting-approval',
      });
      environmentIds[service.stackName] = environment.id;

      // On the loopback endpoint: a stack in review holding one change set
      // that adds IAM roles, never executed.
      const stack = loopbackStack(service.stackName)!;
      expect(stack.status).toBe('REVIEW_IN_PROGRESS');
      const changeSets = [...stack.changeSets.values()];
      expect(changeSets.map(cs => cs.executionStatus)).toEqual(['AVAILABLE']);
      expect(
        changeSets[0].changes
          .filter(c => c.type === 'AWS::IAM::Role')
          .map(c => c.action),
      ).toContain('Add');
      const approval = await approvalOf(service.stackName);
      expect(approval).toMatchObject({
        state: 'pending',
        requestedBy: ALICE,
        changeSetName: changeSets[0].name,
      });
    }
    expect(portal.aws.callsOf('cloudformation')).not.toContain(
      'ExecuteChangeSet',
    );
  }, 300_000);

  it('as alice: the Infra tab shows "Awaiting approval" and the IAM diff, and no Approve button; the backend refuses her decision (403)', async () => {
    const card = await infraCard(approved);
    expect(await card.getByTestId('environment-status').textContent()).toBe(
      'Awaiting approval',
    );
    const panel = card.getByTestId('approval-panel');
    await panel.getByText(`Started by ${ALICE}`).waitFor();
    const approval = await approvalOf(approved.stackName);
    await panel.getByText(approval.changeSetName, { exact: true }).waitFor();
    const iam = panel.getByRole('table', { name: 'IAM statements' });
    expect(await iam.getByTestId('approval-diff-row').count()).toBe(
      approval.diff.iamStatements.length,
    );
    expect(approval.diff.iamStatements.length).toBeGreaterThan(0);
    const rows = (
      await iam.getByTestId('approval-diff-row').allTextContents()
    ).join('\n');
    expect(rows).toContain('+ added');
    expect(rows).toContain('sts:AssumeRole');
    expect(rows).toContain('Service:lambda.amazonaws.com');

    await panel.getByTestId('approval-own-deploy').waitFor();
    expect(await panel.getByRole('button').count()).toBe(0);
    await shot('2-alice-infra');

    const refused = await decide(approved.stackName, { decision: 'approve' });
    expect(refused.status).toBe(403);
    expect((await approvalOf(approved.stackName)).state).toBe('pending');
  });

  it('as bob (same team, no approver): Approve and Reject are blocked with the reason; the backend refuses him (403); the change set waits, unexecuted', async () => {
    await become(BOB);
    const card = await infraCard(approved);
    const panel = card.getByTestId('approval-panel');
    const approve = panel.getByRole('button', { name: 'Approve and deploy' });
    const reject = panel.getByRole('button', { name: 'Reject' });
    await approve.waitFor();
    // Blocked once the permission decision has loaded, with its reason.
    await panel
      .locator('span[hidden]', { hasText: APPROVERS_ONLY })
      .first()
      .waitFor({ state: 'attached', timeout: 15_000 });
    for (const button of [approve, reject]) {
      expect(await button.getAttribute('aria-disabled')).toBe('true');
      const describedBy = await button.getAttribute('aria-describedby');
      expect(await panel.locator(`[id="${describedBy}"]`).textContent()).toBe(
        APPROVERS_ONLY,
      );
    }
    await approve.hover();
    await page().getByRole('tooltip', { name: APPROVERS_ONLY }).waitFor();
    await shot('3-bob-blocked');
    // A click on the blocked button sends nothing.
    await approve.click({ force: true });
    expect((await approvalOf(approved.stackName)).state).toBe('pending');

    const refused = await decide(approved.stackName, {
      decision: 'approve',
      comment: 'looks fine to me',
    });
    expect(refused.status).toBe(403);
    expect(refused.body.error.message).toContain(
      'stackyard.deploy.approve permission',
    );

    const stack = loopbackStack(approved.stackName)!;
    expect(stack.status).toBe('REVIEW_IN_PROGRESS');
    const approval = await approvalOf(approved.stackName);
    expect(stack.changeSets.get(approval.changeSetName)?.executionStatus).toBe(
      'AVAILABLE',
    );
    expect(portal.aws.callsOf('cloudformation')).not.toContain(
      'ExecuteChangeSet',
    );
  }, 240_000);

  it('as carol (approver): Approve with a comment executes that change set on the loopback endpoint, and the card follows live to Ready', async () => {
    await become(CAROL);
    const card = await infraCard(approved);
    const panel = card.getByTestId('approval-panel');
    const { changeSetId } = await approvalOf(approved.stackName);
    await panel
      .getByRole('textbox', { name: 'Comment (optional)' })
      .fill('Roles for the two functions, reviewed');
    const approve = panel.getByRole('button', { name: 'Approve and deploy' });
    await whenUsable(approve);
    await shot('4-carol-review');
    // Marks this page, so a reload would show.
    await page().evaluate(() => ((window as any).approvalsE2ePage = true));
    await approve.click();

    const status = card.getByTestId('environment-status');
    await page().waitForFunction(
      el => el?.textContent === 'Ready',
      await status.elementHandle(),
      { timeout: 60_000 },
    );
    // The operation carol started, followed to its end on the same page.
    await card
      .getByTestId('last-operation')
      .filter({
        hasText:
          /^Last operation: approved-deploy by user:default\/carol, .* — succeeded$/,
      })
      .waitFor({ timeout: 30_000 });
    expect(await page().evaluate(() => (window as any).approvalsE2ePage)).toBe(
      true,
    );
    expect(await card.getByTestId('approval-panel').count()).toBe(0);
    await shot('5-carol-ready');

    const stack = loopbackStack(approved.stackName)!;
    expect(stack.status).toBe('CREATE_COMPLETE');
    expect(stack.changeSets.size).toBe(0);
    expect(
      stack.resources.filter(r => r.type === 'AWS::IAM::Role').length,
    ).toBeGreaterThan(0);
    expect(portal.aws.callsOf('cloudformation')).toContain('ExecuteChangeSet');
    expect(await approvalOf(approved.stackName)).toMatchObject({
      state: 'approved',
      changeSetId,
      decidedBy: CAROL,
      comment: 'Roles for the two functions, reviewed',
    });
  }, 240_000);

  it('as carol: Reject deletes the second held change set on the loopback endpoint; nothing was created', async () => {
    const card = await infraCard(rejected);
    const panel = card.getByTestId('approval-panel');
    const { changeSetName } = await approvalOf(rejected.stackName);
    expect(
      loopbackStack(rejected.stackName)!.changeSets.has(changeSetName),
    ).toBe(true);
    await panel
      .getByRole('textbox', { name: 'Comment (optional)' })
      .fill('Not this way');
    const reject = panel.getByRole('button', { name: 'Reject' });
    await whenUsable(reject);
    await reject.click();

    // The environment is deleted: its card leaves, kept behind the switch.
    await page()
      .getByText('Show deleted environments (1)')
      .waitFor({ timeout: 30_000 });
    expect(await card.count()).toBe(0);
    await shot('6-carol-rejected');

    expect(
      loopbackStack(rejected.stackName)?.changeSets.has(changeSetName) ?? false,
    ).toBe(false);
    expect(portal.aws.callsOf('cloudformation')).toContain('DeleteChangeSet');
    expect(await approvalOf(rejected.stackName)).toMatchObject({
      state: 'rejected',
      decidedBy: CAROL,
      comment: 'Not this way',
    });
    const { body } = await api(
      `stackyard/environments/${environmentIds[rejected.stackName]}`,
    );
    expect(body.environment).toMatchObject({
      status: 'deleted',
      statusReason: `Deploy rejected by ${CAROL}; nothing was created`,
    });
  });

  it('logged no console errors, as anyone', () => {
    expect(consoleErrors).toEqual({ [ALICE]: [], [BOB]: [], [CAROL]: [] });
  });
});
