import http from 'http';
import type { AddressInfo } from 'net';
import { registerDeployment } from './registration';

const request = {
  entityRef: 'component:default/mailer',
  target: 'sandbox',
  prefix: 'wo',
  stage: 'dev',
  stackName: 'wo-dev',
  status: 'ready' as const,
};

/** A server on a loopback port that answers every request with `answer`. */
async function serve(answer: (req: http.IncomingMessage, res: http.ServerResponse) => void) {
  const seen: { url?: string; authorization?: string }[] = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    answer(req, res);
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return { url, seen, close: () => new Promise(r => server.close(r)) };
}

describe('registerDeployment (CLI side, real loopback HTTP server)', () => {
  it('posts to <portal>/api/stackyard/environments with the token, whatever trailing slash the URL has', async () => {
    const portal = await serve((_, res) => {
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ environment: { id: 'e-1' }, operation: { id: 'o-1' } }));
    });
    try {
      const outcome = await registerDeployment({ portalUrl: `${portal.url}/`, token: 't0ken-123', request });
      expect(outcome).toEqual({ status: 'registered', environmentId: 'e-1' });
      expect(portal.seen).toEqual([{ url: '/api/stackyard/environments', authorization: 'Bearer t0ken-123' }]);
    } finally {
      await portal.close();
    }
  });

  it('reports a refusal with its status and what to check, never throwing', async () => {
    const portal = await serve((_, res) => {
      res.writeHead(403, { 'Content-Type': 'application/json' });
      res.end(JSON.stringify({ error: { name: 'NotAllowedError', message: "This token's access is restricted to plugin(s) 'catalog'" } }));
    });
    try {
      const outcome = await registerDeployment({ portalUrl: portal.url, token: 't0ken-123', request });
      expect(outcome).toEqual({
        status: 'failed',
        httpStatus: 403,
        message: expect.stringMatching(/^403 This token's access is restricted .*accessRestrictions/),
      });
    } finally {
      await portal.close();
    }
  });

  it('says when the URL is not the portal (an answer that is not JSON) or not a URL', async () => {
    const portal = await serve((_, res) => {
      res.writeHead(200, { 'Content-Type': 'text/html' });
      res.end('<html>hello</html>');
    });
    try {
      const outcome = await registerDeployment({ portalUrl: portal.url, token: 't0ken-123', request });
      expect(outcome).toMatchObject({ status: 'failed', message: expect.stringMatching(/is not JSON \(is STACKYARD_PORTAL_URL/) });
    } finally {
      await portal.close();
    }
    expect(await registerDeployment({ portalUrl: 'not a url', token: 't', request })).toEqual({
      status: 'failed',
      message: 'STACKYARD_PORTAL_URL "not a url" is not a URL',
    });
  });
});
