import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { endpointAgent } from './endpointAgent';

function get(url: string, agent: https.Agent) {
  return new Promise<{ status: number; body: string }>((resolve, reject) => {
    https
      .get(url, { agent }, res => {
        let body = '';
        res.on('data', c => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on('error', reject);
  });
}

describe('endpointAgent (real loopback sockets)', () => {
  let server: http.Server;
  let url: string;
  const seen: { host?: string; path?: string }[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      seen.push({ host: req.headers.host, path: req.url });
      res.end('hello from the endpoint');
    });
    await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise(r => server.close(r)));

  it('sends requests addressed to AWS hosts to the endpoint, keeping their Host header and path', async () => {
    const agent = endpointAgent(url);
    try {
      const res = await get(
        'https://cloudformation.eu-west-1.amazonaws.com/?Action=DescribeStacks',
        agent,
      );
      await get('https://my-bucket.s3.eu-west-1.amazonaws.com/a/b.zip', agent);
      expect(res).toEqual({ status: 200, body: 'hello from the endpoint' });
      expect(seen).toEqual([
        {
          host: 'cloudformation.eu-west-1.amazonaws.com',
          path: '/?Action=DescribeStacks',
        },
        { host: 'my-bucket.s3.eu-west-1.amazonaws.com', path: '/a/b.zip' },
      ]);
    } finally {
      agent.destroy();
    }
  });

  it('fails the request when the endpoint refuses connections', async () => {
    const closed = http.createServer();
    await new Promise<void>(r => closed.listen(0, '127.0.0.1', () => r()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise(r => closed.close(r));
    const agent = endpointAgent(`http://127.0.0.1:${port}`);
    try {
      await expect(
        get('https://sts.eu-west-1.amazonaws.com/', agent),
      ).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      agent.destroy();
    }
  });
});

describe('endpointAgent (endpoint validation)', () => {
  it.each([
    'not a url',
    'ftp://127.0.0.1:21',
    'http://user:secret@127.0.0.1:4566',
    'http://127.0.0.1:4566/some/path',
    'http://127.0.0.1:4566/?x=1',
  ])('refuses %s, naming it', endpoint => {
    expect(() => endpointAgent(endpoint)).toThrow(
      `endpoint ${JSON.stringify(endpoint)} is not an http(s) URL of a host`,
    );
  });
});
