import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { authServiceFactory } from '@backstage/backend-defaults/auth';
import { httpAuthServiceFactory } from '@backstage/backend-defaults/httpAuth';
import { mockServices, startTestBackend } from '@backstage/backend-test-utils';
import { createTestDatabases } from '@stackyard/test-support';
import { LoopbackAws } from '@stackyard/test-support/aws';
import { stackyardPlugin } from '../plugin';
import { startOidcIssuer } from '../__testUtils__/oidcIssuer';

jest.setTimeout(240_000);

const databases = createTestDatabases();

const ACCOUNT = '123456789012';
const REGION = 'eu-west-1';
const CI_TOKEN = 'ci-static-token-for-stackyard-0123456789';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const GITHUB_ISSUER = 'https://token.actions.githubusercontent.com';
const AUDIENCE = 'https://portal.example.com';

/** The CLI as CI installs it, and the service it deploys. */
const guardrails = dirname(
  require.resolve('@stackyard/cdk-guardrails/package.json'),
);
const BIN = join(guardrails, 'bin/stackyard');
const SERVICE = join(guardrails, 'fixtures/reference-service');

/** `stackyard deploy` in its own process, with the environment CI gives it. */
function stackyardDeploy(
  aws: LoopbackAws,
  appDir: string,
  env: Record<string, string>,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise(done => {
    execFile(
      process.execPath,
      [BIN, 'deploy', appDir, '--stage', 'dev', '--require-approval', 'never'],
      {
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? tmpdir(),
          AWS_ACCESS_KEY_ID: 'AKIASTACKYARDCI',
          AWS_SECRET_ACCESS_KEY: 'loopback-secret',
          AWS_REGION: REGION,
          AWS_CONFIG_FILE: '/nonexistent',
          AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
          AWS_EC2_METADATA_DISABLED: 'true',
          GITHUB_REF_NAME: 'feature/wo-42-add-retries',
          GITHUB_SHA: COMMIT,
          STACKYARD_TARGET: 'sandbox',
          AWS_ENDPOINT_URL: aws.url,
          ...env,
        },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) =>
        done({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe.each(databases.eachSupportedId())(
  'stackyard deploy registering with a real backend on %s (Backstage external access: a static token, and a GitHub-style OIDC token verified by JWKS; toolkit-lib deploys to a loopback AWS endpoint)',
  databaseId => {
    let oidc: Awaited<ReturnType<typeof startOidcIssuer>>;
    let aws: LoopbackAws;
    let backend: { server: Server; stop(): Promise<void> };
    let portalUrl: string;
    let appDir: string;

    beforeAll(async () => {
      aws = await LoopbackAws.start({ account: ACCOUNT, region: REGION });
      aws.bootstrap();
      oidc = await startOidcIssuer();
      const started = await startTestBackend({
        features: [
          stackyardPlugin,
          authServiceFactory,
          httpAuthServiceFactory,
          mockServices.scheduler.mock().factory,
          mockServices.database.factory({
            knex: await databases.init(databaseId),
          }),
          mockServices.rootConfig.factory({
            data: {
              backend: {
                auth: {
                  externalAccess: [
                    {
                      type: 'static',
                      options: { token: CI_TOKEN, subject: 'github-ci' },
                      accessRestrictions: [{ plugin: 'stackyard' }],
                    },
                    // As documented for GitHub Actions, with the keys of
                    // a loopback issuer.
                    {
                      type: 'jwks',
                      options: {
                        url: oidc.jwksUrl,
                        issuer: GITHUB_ISSUER,
                        algorithm: 'RS256',
                        audience: AUDIENCE,
                        subjectPrefix: 'github',
                      },
                      accessRestrictions: [{ plugin: 'stackyard' }],
                    },
                  ],
                },
              },
              // The backend's own credentials, to check what CI registers.
              aws: {
                accounts: [
                  {
                    accountId: ACCOUNT,
                    accessKeyId: 'AKIASTACKYARDPORTAL',
                    secretAccessKey: 'loopback-secret',
                  },
                ],
              },
              stackyard: {
                targets: [
                  {
                    name: 'sandbox',
                    type: 'aws',
                    accountId: ACCOUNT,
                    region: REGION,
                    endpoint: aws.url,
                  },
                ],
              },
            },
          }),
        ],
      });
      backend = started as unknown as typeof backend;
      const { port } = backend.server.address() as AddressInfo;
      portalUrl = `http://127.0.0.1:${port}`;
    });

    afterAll(async () => {
      await backend?.stop();
      await aws?.stop();
      await oidc?.close();
    });

    beforeEach(() => {
      appDir = mkdtempSync(join(tmpdir(), 'stackyard-ci-registration-'));
      cpSync(SERVICE, appDir, { recursive: true });
    });
    afterEach(() => rmSync(appDir, { recursive: true, force: true }));

    async function environments(token: string) {
      const res = await fetch(`${portalUrl}/api/stackyard/environments`, {
        headers: { Authorization: `Bearer ${token}` },
      });
      return { status: res.status, body: await res.json() };
    }

    it('registers the deployment at once with its outputs, resources, branch, commit and template', async () => {
      aws.cloudFormation.reportedOutputs.set('wo-42-dev', {
        WebSocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/dev',
      });
      const result = await stackyardDeploy(aws, appDir, {
        STACKYARD_PORTAL_URL: portalUrl,
        STACKYARD_TOKEN: CI_TOKEN,
      });
      expect(result.stderr).toMatch(
        /Registered wo-42-dev with the portal \(environment [0-9a-f-]{36}\): it shows on component:default\/mailer's Infra tab now\./,
      );
      expect(result.code).toBe(0);

      const listed = await environments(CI_TOKEN);
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(1);
      const [environment] = listed.body.items;
      expect(environment).toMatchObject({
        entityRef: 'component:default/mailer',
        target: 'sandbox',
        stackName: 'wo-42-dev',
        stackId: aws.cloudFormation.stacks.get('wo-42-dev')!.id,
        status: 'ready',
        branch: 'feature/wo-42-add-retries',
        commit: COMMIT,
        templateName: 'websocket-service',
        templateVersion: '1.0.0',
        costCenter: 'cc-1234',
        // The subject of the token's externalAccess entry.
        createdBy: 'service:github-ci',
        outputs: {
          WebSocketUrl: 'wss://abc123.execute-api.eu-west-1.amazonaws.com/dev',
        },
      });
      expect(environment.resources['AWS::Lambda::Function']).toBe(3);
      expect(environment.resources['AWS::ApiGatewayV2::Api']).toBe(1);
    });

    it('says the deploy succeeded and registration was refused (401) for a wrong token, exits 0 and records nothing', async () => {
      const before = (await environments(CI_TOKEN)).body.items.length;
      const result = await stackyardDeploy(aws, appDir, {
        STACKYARD_PORTAL_URL: portalUrl,
        STACKYARD_TOKEN: 'a-wrong-token-0123456789',
        GITHUB_REF_NAME: 'feature/wo-43-other',
      });
      expect(result.code).toBe(0);
      expect(aws.cloudFormation.stacks.get('wo-43-dev')?.status).toBe(
        'CREATE_COMPLETE',
      );
      expect(result.stderr).toMatch(
        /The deploy of wo-43-dev succeeded, but registering it with the portal failed: 401 .*STACKYARD_TOKEN was not accepted/,
      );
      expect(result.stderr).toMatch(
        /discovery adopts the stack from its stackyard:\* tags at its next reconcile/,
      );
      expect((await environments(CI_TOKEN)).body.items).toHaveLength(before);
      expect((await environments('a-wrong-token-0123456789')).status).toBe(401);
    });

    it("registers with the job's OIDC token (jwks), and refuses one minted for another audience (401) while the deploy succeeds", async () => {
      const subject = 'repo:acme/mailer:ref:refs/heads/feature/wo-44-x';
      const good = await stackyardDeploy(aws, appDir, {
        STACKYARD_PORTAL_URL: portalUrl,
        STACKYARD_TOKEN: oidc.token({
          iss: GITHUB_ISSUER,
          aud: AUDIENCE,
          sub: subject,
        }),
        GITHUB_REF_NAME: 'feature/wo-44-x',
      });
      expect(good.code).toBe(0);
      expect(good.stderr).toMatch(/Registered wo-44-dev with the portal/);
      const listed = await environments(CI_TOKEN);
      expect(
        listed.body.items.find(
          (e: { stackName: string }) => e.stackName === 'wo-44-dev',
        ),
      ).toMatchObject({
        createdBy: `service:external:github:${subject}`,
        branch: 'feature/wo-44-x',
      });

      const other = await stackyardDeploy(aws, appDir, {
        STACKYARD_PORTAL_URL: portalUrl,
        STACKYARD_TOKEN: oidc.token({
          iss: GITHUB_ISSUER,
          aud: 'https://elsewhere.example.com',
          sub: subject,
        }),
        GITHUB_REF_NAME: 'feature/wo-45-x',
      });
      expect(other.code).toBe(0);
      expect(aws.cloudFormation.stacks.get('wo-45-dev')?.status).toBe(
        'CREATE_COMPLETE',
      );
      expect(other.stderr).toMatch(
        /The deploy of wo-45-dev succeeded, but registering it with the portal failed: 401 /,
      );
      expect(
        (await environments(CI_TOKEN)).body.items.map(
          (e: { stackName: string }) => e.stackName,
        ),
      ).not.toContain('wo-45-dev');
    });
  },
);
