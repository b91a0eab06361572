'use strict';

// Unit tests of the handlers with fakes: `npm test`.
const test = require('node:test');
const assert = require('node:assert/strict');
const connection = require('../functions/connection');
const message = require('../functions/message');

const event = (routeKey, connectionId, body) => ({ requestContext: { routeKey, connectionId }, body });

function fakeStore() {
  const items = new Map();
  return {
    items,
    put: async item => items.set(item.connectionId, item),
    remove: async id => items.delete(id),
    subscribe: async (id, channel) => items.get(id).channels.push(channel),
    subscribers: async channel =>
      [...items.values()].filter(i => i.channels.includes(channel)).map(i => i.connectionId),
  };
}

test('$connect stores the connection with an expiry; $disconnect removes it', async () => {
  const store = fakeStore();
  const handler = connection.createHandler({ store, nowSeconds: () => 1000 });
  assert.deepEqual(await handler(event('$connect', 'c1')), { statusCode: 200 });
  assert.deepEqual(store.items.get('c1'), {
    connectionId: 'c1',
    channels: [],
    expiresAt: 1000 + connection.CONNECTION_TTL_SECONDS,
  });
  await handler(event('$disconnect', 'c1'));
  assert.equal(store.items.size, 0);
});

test('publish reaches every subscriber and skips closed connections', async () => {
  const store = fakeStore();
  const connect = connection.createHandler({ store });
  for (const id of ['a', 'b', 'c']) await connect(event('$connect', id));
  const posted = [];
  const handler = message.createHandler({
    store,
    post: async (id, data) => {
      if (id === 'b') throw Object.assign(new Error('gone'), { name: 'GoneException' });
      posted.push({ id, data });
    },
  });
  for (const id of ['a', 'b']) {
    await handler(event('$default', id, '{"action":"subscribe","channel":"news"}'));
  }
  const result = await handler(event('publish', 'c', '{"action":"publish","channel":"news","data":"hi"}'));
  assert.deepEqual(result, { statusCode: 200, body: '{"delivered":1}' });
  assert.deepEqual(posted, [{ id: 'a', data: '{"channel":"news","data":"hi"}' }]);
});

test('bad messages get a 400 quoting the bad value', async () => {
  const handler = message.createHandler({ store: fakeStore(), post: async () => {} });
  assert.equal((await handler(event('$default', 'a', 'nope'))).statusCode, 400);
  const bad = await handler(event('$default', 'a', '{"action":"subscribe","channel":"a b"}'));
  assert.deepEqual(bad, { statusCode: 400, body: 'channel "a b" is not allowed' });
});
