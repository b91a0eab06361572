import type { Server } from 'http';
import type { TablePlan } from '../../plan/types';
import { callDynamo, startDynalite } from './dynaliteEngine';
import { startTtlSweeper, sweepExpiredItems } from './ttlSweeper';

const NOW = 1_800_000_000; // seconds
const YEAR = 365 * 24 * 60 * 60;

const connections: TablePlan = {
  name: 'connections',
  logicalId: 'ConnectionsTable',
  keySchema: [
    { AttributeName: 'connectionId', KeyType: 'HASH' },
    { AttributeName: 'channel', KeyType: 'RANGE' },
  ],
  attributeDefinitions: [
    { AttributeName: 'connectionId', AttributeType: 'S' },
    { AttributeName: 'channel', AttributeType: 'S' },
  ],
  timeToLiveAttribute: 'expiresAt',
};
const items: TablePlan = {
  name: 'items',
  logicalId: 'ItemsTable',
  keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
  attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
};

describe('TTL sweep (real dynalite)', () => {
  let server: Server;
  let endpoint: string;

  const put = (table: string, item: Record<string, unknown>) =>
    callDynamo(endpoint, 'PutItem', { TableName: table, Item: item });
  const ids = async (table: string): Promise<string[]> =>
    (await callDynamo(endpoint, 'Scan', { TableName: table })).Items.map(
      (i: Record<string, { S: string }>) => i.connectionId?.S ?? i.id?.S ?? '?',
    ).sort();
  const connection = (id: string, expiresAt?: Record<string, string>) =>
    put('connections', {
      connectionId: { S: id },
      channel: { S: 'news' },
      ...(expiresAt ? { expiresAt } : {}),
    });

  beforeAll(async () => {
    ({ server, endpoint } = await startDynalite([connections, items]));
  });

  afterAll(() => {
    server.close();
  });

  it('deletes items whose TTL attribute is a past epoch second, and no others, as DynamoDB does', async () => {
    await connection('expired', { N: String(NOW - 1) });
    await connection('expires-now', { N: String(NOW) });
    await connection('future', { N: String(NOW + 3600) });
    await connection('no-ttl');
    await connection('string-ttl', { S: String(NOW - 100) });
    // DynamoDB leaves items expired more than five years ago.
    await connection('ancient', { N: String(NOW - 6 * YEAR) });
    // Another table without a TTL attribute, with the same attribute name.
    await put('items', { id: { S: 'kept' }, expiresAt: { N: '1' } });

    expect(await sweepExpiredItems(endpoint, connections, NOW)).toBe(1);
    expect(await ids('connections')).toEqual([
      'ancient',
      'expires-now',
      'future',
      'no-ttl',
      'string-ttl',
    ]);
    expect(await sweepExpiredItems(endpoint, items, NOW)).toBe(0);
    expect(await ids('items')).toEqual(['kept']);
  });

  it('sweeps every table with a TTL attribute on its interval, over pages of the scan', async () => {
    // Enough items (with padding) to span more than one 1 MB scan page.
    const padding = 'x'.repeat(40_000);
    for (let i = 0; i < 40; i++) {
      await put('connections', {
        connectionId: { S: `old-${String(i).padStart(2, '0')}` },
        channel: { S: 'news' },
        expiresAt: { N: String(NOW - 10) },
        padding: { S: padding },
      });
    }
    let clock = (NOW - 60) * 1000;
    const errors: unknown[] = [];
    const sweeper = startTtlSweeper({
      endpoint,
      tables: [connections, items],
      intervalMs: 50,
      now: () => clock,
      onError: (_, e) => errors.push(e),
    });
    try {
      // Not yet expired at the sweeper's clock.
      expect(await sweeper.sweep()).toBe(0);
      clock = NOW * 1000;
      const deadline = Date.now() + 10_000;
      while (
        (await ids('connections')).some(id => id.startsWith('old-')) &&
        Date.now() < deadline
      ) {
        await new Promise(r => setTimeout(r, 50));
      }
      expect(await ids('connections')).not.toContainEqual(
        expect.stringMatching(/^old-/),
      );
      expect(await ids('connections')).toContain('future');
      expect(errors).toEqual([]);
    } finally {
      sweeper.stop();
    }
  });

  it('reports a table it cannot sweep and goes on with the others', async () => {
    const errors: string[] = [];
    const sweeper = startTtlSweeper({
      endpoint,
      tables: [{ ...connections, name: 'missing' }, connections],
      now: () => (NOW + 7200) * 1000,
      onError: table => errors.push(table),
    });
    try {
      // 'expires-now' and 'future' have expired by then.
      expect(await sweeper.sweep()).toBe(2);
      expect(errors).toEqual(['missing']);
    } finally {
      sweeper.stop();
    }
  });
});
