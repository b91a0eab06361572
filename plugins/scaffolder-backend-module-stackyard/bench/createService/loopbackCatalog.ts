import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseAllDocuments } from 'yaml';

/** `kind:namespace/name` (kind lower-cased) and the entity of a catalog file. */
function firstEntity(file: string): { ref: string; entity: any } {
  for (const doc of parseAllDocuments(readFileSync(file, 'utf8'))) {
    const entity = doc.toJS();
    if (entity?.kind && entity?.metadata?.name) {
      const namespace = entity.metadata.namespace ?? 'default';
      return {
        ref: `${entity.kind}:${namespace}/${entity.metadata.name}`.toLowerCase(),
        entity: { ...entity, metadata: { ...entity.metadata, namespace } },
      };
    }
  }
  throw new Error(`${file} holds no entity`);
}

/**
 * A loopback stand-in for the catalog, which processes a location the moment
 * it is added: `POST /locations` (201, with the Location entity's ref),
 * `GET /entities/by-name/...` (200 with the entity once its location is
 * added, 404 before) and `POST /refresh` (200 for an entity or location it
 * has, 404 otherwise), as lib/catalogWait.ts reads them. Records the reads.
 */
export async function startLoopbackCatalog() {
  const api = '/api/catalog';
  const locations: { type: string; target: string }[] = [];
  const entities = new Map<string, unknown>();
  const reads: string[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', c => chunks.push(c));
    req.on('end', () => {
      const json = (status: number, body?: unknown) =>
        res
          .writeHead(status, { 'content-type': 'application/json' })
          .end(body === undefined ? undefined : JSON.stringify(body));
      const url = req.url ?? '';
      const byName = /^\/entities\/by-name\/([^/]+)\/([^/]+)\/([^/]+)$/.exec(
        url.slice(api.length),
      );
      if (req.method === 'GET' && url.startsWith(api) && byName) {
        const [kind, namespace, name] = byName.slice(1).map(decodeURIComponent);
        const ref = `${kind}:${namespace}/${name}`.toLowerCase();
        reads.push(ref);
        const entity = entities.get(ref);
        json(
          entity ? 200 : 404,
          entity ?? { error: { name: 'NotFoundError' } },
        );
        return;
      }
      if (req.method !== 'POST') {
        json(404);
        return;
      }
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      if (url === `${api}/refresh`) {
        json(entities.has(String(body.entityRef).toLowerCase()) ? 200 : 404);
        return;
      }
      if (url !== `${api}/locations`) {
        json(404);
        return;
      }
      const { type, target } = body as { type: string; target: string };
      locations.push({ type, target });
      const id = createHash('sha1').update(`${type}:${target}`).digest('hex');
      const locationRef = `location:default/generated-${id}`;
      entities.set(locationRef, { kind: 'Location', metadata: { name: id } });
      const { ref, entity } = firstEntity(target);
      entities.set(ref, entity);
      json(201, {
        location: { id, type, target, entityRef: locationRef },
        entities: [],
      });
    });
  });
  await new Promise<void>(r => server.listen(0, '127.0.0.1', r));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}${api}`,
    locations,
    reads,
    close: () => new Promise<void>(r => server.close(() => r())),
  };
}
