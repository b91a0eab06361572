import { StackyardClient } from './client';
import {
  listTargetsResponseSchema,
  stagesAcceptedBy,
  targetStageProblem,
} from './targets';

describe('targetStageProblem', () => {
  it('accepts every stage of a target without a stage list', () => {
    expect(targetStageProblem({ name: 'local' }, 'prod')).toBeUndefined();
  });

  it('accepts a listed stage and names the accepted ones otherwise', () => {
    const target = { name: 'sandbox', stages: ['staging', 'prod'] };
    expect(targetStageProblem(target, 'prod')).toBeUndefined();
    expect(targetStageProblem(target, 'dev')).toBe(
      'target "sandbox" does not accept stage "dev"; it accepts: staging, prod',
    );
  });
});

describe('stagesAcceptedBy', () => {
  it("keeps the offered stages' order and only those the target accepts", () => {
    const offered = ['dev', 'preview', 'staging'];
    expect(stagesAcceptedBy({}, offered)).toEqual(offered);
    expect(
      stagesAcceptedBy({ stages: ['prod', 'staging', 'preview'] }, offered),
    ).toEqual(['preview', 'staging']);
    expect(stagesAcceptedBy({ stages: ['prod'] }, offered)).toEqual([]);
  });
});

describe('listTargetsResponseSchema', () => {
  it('drops keys it does not declare, such as credentials', () => {
    const parsed = listTargetsResponseSchema.parse({
      items: [
        {
          name: 'sandbox',
          type: 'aws',
          accountId: '123456789012',
          region: 'eu-west-1',
          secretAccessKey: 'never-shown',
        },
      ],
    });
    expect(JSON.stringify(parsed)).not.toContain('never-shown');
  });
});

describe('StackyardClient.listTargets', () => {
  it('GETs /targets', async () => {
    const items = [{ name: 'local', type: 'local' }];
    const fetch = jest.fn(async (_url: string, _init?: RequestInit) => ({
      ok: true,
      status: 200,
      text: async () => JSON.stringify({ items }),
    }));
    const client = new StackyardClient({
      discoveryApi: { getBaseUrl: async () => 'http://backend/api/stackyard' },
      fetchApi: { fetch: fetch as unknown as typeof globalThis.fetch },
    });
    await expect(client.listTargets()).resolves.toEqual({ items });
    expect(fetch.mock.calls[0][0]).toBe('http://backend/api/stackyard/targets');
    expect(fetch.mock.calls[0][1]).toMatchObject({ method: 'GET' });
  });
});
