import fs from 'node:fs';
import { parse } from 'yaml';
import {
  createOpenApiDocument,
  openApiSpecPath,
  renderOpenApiSpec,
} from './openApiDocument';

describe('openapi.yaml', () => {
  it('is what the API schemas and routes generate', () => {
    const committed = fs.readFileSync(openApiSpecPath(), 'utf8');
    const generated = renderOpenApiSpec();
    if (committed !== generated) {
      const a = committed.split('\n');
      const b = generated.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      throw new Error(
        `src/schema/openapi.yaml differs from what stackyard-common's API schemas generate (first at line ${
          line + 1
        }: ${JSON.stringify(a[line])} vs ${JSON.stringify(
          b[line],
        )}): run npm run openapi:generate -w @stackyard/plugin-stackyard-backend`,
      );
    }
  });

  it('resolves every reference and documents every route', () => {
    const document = createOpenApiDocument();
    const text = JSON.stringify(document);
    for (const [, ref] of text.matchAll(/"\$ref":"#\/([^"]+)"/g)) {
      const target = ref
        .split('/')
        .reduce<any>((node, part) => node?.[part], document);
      expect({ ref, resolved: target !== undefined }).toEqual({
        ref,
        resolved: true,
      });
    }
    expect(parse(renderOpenApiSpec())).toEqual(
      JSON.parse(JSON.stringify(document)),
    );
    for (const [path, methods] of Object.entries(document.paths)) {
      for (const [method, operation] of Object.entries(methods)) {
        const { summary, responses } = operation as {
          summary: string;
          responses: Record<string, unknown>;
        };
        expect({ route: `${method} ${path}`, summary: !!summary }).toEqual({
          route: `${method} ${path}`,
          summary: true,
        });
        // Every route needs a Backstage token.
        expect(Object.keys(responses)).toContain('401');
      }
    }
  });

  it('keeps zod internals out of the spec', () => {
    const text = renderOpenApiSpec();
    expect(text).not.toMatch(/\$id|#\/definitions|#\/\$defs|9007199254740991/);
  });
});
