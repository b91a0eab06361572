import type { IncomingMessage } from 'node:http';
import {
  CredentialChecks,
  authorizeManagementRequest,
  authorizeUpgrade,
} from './authorizeUpgrade';
import { hashConnectionKey } from './connectionKey';

const KEY = 'sykey_abc123';

function request(headers: Record<string, string>): IncomingMessage {
  return { headers } as unknown as IncomingMessage;
}

function checks(): CredentialChecks & { verifyToken: jest.Mock } {
  return {
    verifyToken: jest.fn(async (token: string) => token === 'good-token'),
    connectionKeyHash: async () => hashConnectionKey(KEY),
  };
}

describe('authorizeUpgrade', () => {
  it('refuses an upgrade without credentials with 401 and says how to send them', async () => {
    const verdict = await authorizeUpgrade(request({}), checks());
    expect(verdict).toMatchObject({ allow: false, statusCode: 401 });
    expect(verdict.allow === false && verdict.message).toMatch(
      /Authorization: Bearer.*stackyard-token.*x-stackyard-connection-key.*stackyard-key/,
    );
  });

  it('accepts a Backstage token in the Authorization header and keeps it out of $connect', async () => {
    const verdict = await authorizeUpgrade(
      request({ authorization: 'Bearer good-token' }),
      checks(),
    );
    expect(verdict).toEqual({
      allow: true,
      consumedProtocols: [],
      consumedHeaders: ['authorization', 'x-stackyard-connection-key'],
    });
  });

  it('consumes a token subprotocol so it is never selected, leaving the API its own', async () => {
    const c = checks();
    const verdict = await authorizeUpgrade(
      request({
        'sec-websocket-protocol': 'chat.v1, stackyard-token.good-token',
      }),
      c,
    );
    expect(verdict).toMatchObject({
      allow: true,
      consumedProtocols: ['stackyard-token.good-token'],
    });
    expect(c.verifyToken).toHaveBeenCalledWith(
      'good-token',
      'connect',
      expect.anything(),
    );
  });

  it('accepts the connection key as a header or a subprotocol', async () => {
    await expect(
      authorizeUpgrade(
        request({ 'x-stackyard-connection-key': KEY }),
        checks(),
      ),
    ).resolves.toMatchObject({ allow: true });
    await expect(
      authorizeUpgrade(
        request({ 'sec-websocket-protocol': `stackyard-key.${KEY}` }),
        checks(),
      ),
    ).resolves.toMatchObject({
      allow: true,
      consumedProtocols: [`stackyard-key.${KEY}`],
    });
  });

  it('refuses wrong credentials with 401 without repeating them', async () => {
    const verdict = await authorizeUpgrade(
      request({
        authorization: 'Bearer stolen-token',
        'sec-websocket-protocol': 'stackyard-key.wrong-key',
      }),
      checks(),
    );
    expect(verdict).toMatchObject({ allow: false, statusCode: 401 });
    const message = verdict.allow === false ? verdict.message ?? '' : '';
    expect(message).not.toMatch(/stolen-token|wrong-key/);
  });

  it('refuses a key when the environment has none', async () => {
    const verdict = await authorizeUpgrade(
      request({ 'x-stackyard-connection-key': KEY }),
      {
        verifyToken: async () => false,
        connectionKeyHash: async () => undefined,
      },
    );
    expect(verdict.allow).toBe(false);
  });
});

describe('authorizeManagementRequest', () => {
  it('asks for the token to be checked for management, not for connecting', async () => {
    const c = checks();
    await authorizeManagementRequest(
      request({ authorization: 'Bearer good-token' }),
      c,
    );
    expect(c.verifyToken).toHaveBeenCalledWith(
      'good-token',
      'manage',
      expect.anything(),
    );
  });

  it('accepts a Backstage token, the key header, or the key as SigV4 access key id', async () => {
    await expect(
      authorizeManagementRequest(
        request({ authorization: 'Bearer good-token' }),
        checks(),
      ),
    ).resolves.toBe(true);
    await expect(
      authorizeManagementRequest(
        request({ 'x-stackyard-connection-key': KEY }),
        checks(),
      ),
    ).resolves.toBe(true);
    await expect(
      authorizeManagementRequest(
        request({
          authorization: `AWS4-HMAC-SHA256 Credential=${KEY}/20260101/us-east-1/execute-api/aws4_request, SignedHeaders=host, Signature=abc`,
        }),
        checks(),
      ),
    ).resolves.toBe(true);
  });

  it('refuses anything else', async () => {
    await expect(
      authorizeManagementRequest(request({}), checks()),
    ).resolves.toBe(false);
    await expect(
      authorizeManagementRequest(
        request({
          authorization:
            'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260101/us-east-1/execute-api/aws4_request, Signature=abc',
        }),
        checks(),
      ),
    ).resolves.toBe(false);
  });
});
