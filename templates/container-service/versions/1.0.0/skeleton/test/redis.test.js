'use strict';

const test = require('node:test');
const assert = require('node:assert/strict');
const { RedisError, cacheSettings, encodeCommand, parseReply } = require('../src/redis');

test('commands are RESP arrays of bulk strings, counted in bytes', () => {
  assert.equal(encodeCommand(['LPUSH', 'jobs', 'é']).toString('utf8'), '*3\r\n$5\r\nLPUSH\r\n$4\r\njobs\r\n$2\r\né\r\n');
});

test('replies parse whole, and not before they are complete', () => {
  const reply = Buffer.from('*2\r\n$4\r\njobs\r\n$7\r\n{"a":1}\r\n');
  assert.deepEqual(parseReply(reply), { value: ['jobs', '{"a":1}'], end: reply.length });
  assert.equal(parseReply(reply.subarray(0, reply.length - 3)), undefined);
  assert.deepEqual(parseReply(Buffer.from(':3\r\n')), { value: 3, end: 4 });
  assert.deepEqual(parseReply(Buffer.from('*-1\r\n')), { value: null, end: 5 });
  assert.ok(parseReply(Buffer.from('-ERR wrong\r\n')).value instanceof RedisError);
});

test('the cache settings come from the environment the stack sets', () => {
  assert.deepEqual(cacheSettings({ CACHE_JOBS_HOST: 'h', CACHE_JOBS_PORT: '6380', CACHE_JOBS_TLS: 'true' }), {
    host: 'h',
    port: 6380,
    useTls: true,
  });
  assert.throws(() => cacheSettings({}), /CACHE_JOBS_HOST/);
});
