import { KeyObject, generateKeyPairSync, randomUUID, sign } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

const base64url = (value: Buffer | string) =>
  Buffer.from(value).toString('base64url');

/**
 * An OIDC token issuer on a loopback port, standing in for GitHub Actions'
 * (`https://token.actions.githubusercontent.com`): its JWKS at `jwksUrl`,
 * RS256 tokens with whatever issuer, audience and subject a test asks for.
 */
export async function startOidcIssuer() {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
  });
  const kid = randomUUID();
  const jwk = {
    ...(publicKey as KeyObject).export({ format: 'jwk' }),
    kid,
    alg: 'RS256',
    use: 'sig',
  };
  const server = http.createServer((_, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ keys: [jwk] }));
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', () => r()));
  const { port } = server.address() as AddressInfo;
  return {
    jwksUrl: `http://127.0.0.1:${port}/.well-known/jwks`,
    /** A signed token; `expiresInSeconds` may be negative for an expired one. */
    token(claims: {
      iss: string;
      aud: string;
      sub: string;
      expiresInSeconds?: number;
    }) {
      const now = Math.floor(Date.now() / 1000);
      const header = base64url(
        JSON.stringify({ alg: 'RS256', typ: 'JWT', kid }),
      );
      const payload = base64url(
        JSON.stringify({
          iss: claims.iss,
          aud: claims.aud,
          sub: claims.sub,
          iat: now,
          nbf: now - 5,
          exp: now + (claims.expiresInSeconds ?? 300),
        }),
      );
      const signature = sign(
        'RSA-SHA256',
        Buffer.from(`${header}.${payload}`),
        privateKey,
      );
      return `${header}.${payload}.${base64url(signature)}`;
    },
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}
