import { resolvePackagePath } from '@backstage/backend-plugin-api';
import {
  errorResponse,
  pathParameters,
  stackyardRoutes,
  type ApiRoute,
} from '@stackyard/plugin-stackyard-common';
import fs from 'node:fs';
import { stringify } from 'yaml';
import { z } from 'zod';

type JsonSchema = Record<string, any>;

const SCHEMAS = '#/components/schemas/';

const description = `Stackyard's environments (CloudFormation stacks and local previews of catalog entities) and their deploy and teardown operations. Every route needs a Backstage token (user or service). Environments of local targets recorded with a \`websocket\` API are served, outside this REST API, as WebSocket endpoints at \`/sockets/{id}/{stage}\` (upgrade authenticated with a Backstage token or the connection key, never echoed in \`Sec-WebSocket-Protocol\`) with the API Gateway \`@connections\` management API at \`/sockets/{id}/{stage}/@connections/{connectionId}\`. Errors use Backstage's error body: \`{ "error": { "name", "message" }, "request": {...}, "response": { "statusCode" } }\`.`;

/** Where the committed spec lives. */
export function openApiSpecPath(): string {
  return resolvePackagePath(
    '@stackyard/plugin-stackyard-backend',
    'src/schema/openapi.yaml',
  );
}

/**
 * Drops what the JSON Schema says twice: zod's regexes behind `uuid` and
 * `date-time` formats, and the safe-integer bounds of every `int()`.
 */
function tidy({ jsonSchema }: { jsonSchema: JsonSchema }) {
  if (jsonSchema.format === 'uuid' || jsonSchema.format === 'date-time') {
    delete jsonSchema.pattern;
  }
  if (jsonSchema.minimum === Number.MIN_SAFE_INTEGER) delete jsonSchema.minimum;
  if (jsonSchema.maximum === Number.MAX_SAFE_INTEGER) delete jsonSchema.maximum;
  // OpenAPI 3.0 has no propertyNames; key rules stay in the description.
  delete jsonSchema.propertyNames;
}

/**
 * Points every reference at `#/components/schemas`, drops the `$id`s zod
 * adds, and unwraps the `allOf` zod puts around a lone optional `$ref`.
 */
function relink(node: any): any {
  if (Array.isArray(node)) return node.map(relink);
  if (!node || typeof node !== 'object') return node;
  const { $id, ...rest } = node;
  const keys = Object.keys(rest);
  if (keys.length === 1 && rest.allOf?.length === 1 && rest.allOf[0].$ref) {
    return relink(rest.allOf[0]);
  }
  return Object.fromEntries(
    Object.entries(rest).map(([key, value]) =>
      key === '$ref' && typeof value === 'string'
        ? [key, value.replace(/^#\/(definitions|\$defs)\//, SCHEMAS)]
        : [key, relink(value)],
    ),
  );
}

const options = {
  target: 'openapi-3.0',
  uri: (id: string) => `${SCHEMAS}${id}`,
  override: tidy,
} as const;

function componentId(schema: z.ZodType): string | undefined {
  return z.globalRegistry.get(schema)?.id;
}

/** A body's schema: a reference to its component (every body has an id). */
function bodySchema(schema: z.ZodType, where: string): JsonSchema {
  const id = componentId(schema);
  if (!id) throw new Error(`${where}: its schema needs .meta({ id })`);
  return { $ref: `${SCHEMAS}${id}` };
}

/** The schema of one parameter, as the client sends it (strings, coerced). */
function parameterSchema(schema: z.ZodType): JsonSchema {
  const { definitions, $defs, ...json } = z.toJSONSchema(schema, {
    ...options,
    io: 'input',
  }) as JsonSchema;
  return relink(json);
}

function parameter(name: string, schema: z.ZodType, location: string) {
  const { description: text, ...json } = parameterSchema(schema);
  return {
    name,
    in: location,
    ...(location === 'path' || !schema.safeParse(undefined).success
      ? { required: true }
      : {}),
    ...(text ? { description: text } : {}),
    schema: json,
  };
}

function operation(operationId: string, route: ApiRoute) {
  const where = `${route.method.toUpperCase()} ${route.path}`;
  const parameters = [
    ...[...route.path.matchAll(/\{(\w+)\}/g)].map(([, name]) => {
      if (!pathParameters[name]) {
        throw new Error(`${where}: path parameter "${name}" is not declared`);
      }
      return { $ref: `#/components/parameters/${name}` };
    }),
    ...Object.entries(route.query?.shape ?? {}).map(([name, schema]) =>
      parameter(name, schema as z.ZodType, 'query'),
    ),
  ];
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      response === errorResponse
        ? { $ref: '#/components/responses/Error' }
        : {
            description: response.description,
            ...(response.body
              ? {
                  content: {
                    'application/json': {
                      schema: bodySchema(response.body, `${where} ${status}`),
                    },
                  },
                }
              : {}),
          },
    ]),
  );
  return {
    operationId: operationId[0].toUpperCase() + operationId.slice(1),
    summary: route.summary,
    ...(parameters.length ? { parameters } : {}),
    ...(route.body
      ? {
          requestBody: {
            required: true,
            content: {
              'application/json': {
                schema: bodySchema(route.body, `${where} body`),
              },
            },
          },
        }
      : {}),
    responses,
  };
}

/** Every `$ref` to a schema component in `node`. */
function schemaRefs(node: unknown, found = new Set<string>()): Set<string> {
  if (Array.isArray(node)) node.forEach(item => schemaRefs(item, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (
        key === '$ref' &&
        typeof value === 'string' &&
        value.startsWith(SCHEMAS)
      ) {
        found.add(value.slice(SCHEMAS.length));
      } else schemaRefs(value, found);
    }
  }
  return found;
}

/**
 * The schema components the document references, and those they reference,
 * as the API answers them (`io: 'output'`; request bodies are strict and
 * have no defaults, so their input and output schemas are the same).
 */
function components(document: unknown): Record<string, JsonSchema> {
  const { schemas } = relink(
    z.toJSONSchema(z.globalRegistry, { ...options, io: 'output' }),
  ) as { schemas: Record<string, JsonSchema> };
  const used: Record<string, JsonSchema> = {};
  const pending = [...schemaRefs(document)];
  while (pending.length) {
    const id = pending.shift()!;
    if (used[id]) continue;
    if (!schemas[id]) throw new Error(`No schema component "${id}"`);
    used[id] = schemas[id];
    pending.push(...schemaRefs(schemas[id]));
  }
  return Object.fromEntries(
    Object.keys(used)
      .sort()
      .map(id => [id, used[id]]),
  );
}

/** The OpenAPI document of the REST API, from the routes and schemas in stackyard-common. */
export function createOpenApiDocument() {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const [operationId, route] of Object.entries(stackyardRoutes)) {
    paths[route.path] ??= {};
    paths[route.path][route.method] = operation(operationId, route);
  }
  const parameters = Object.fromEntries(
    Object.entries(pathParameters).map(([name, declared]) => {
      const shared = parameter(name, declared.schema, 'path');
      return [name, { ...shared, description: declared.description }];
    }),
  );
  const document = {
    openapi: '3.0.3',
    info: { title: 'stackyard', version: '1.0.0', description },
    servers: [{ url: '/api/stackyard' }],
    security: [{ backstageToken: [] }],
    paths,
    components: {
      securitySchemes: {
        backstageToken: {
          type: 'http',
          scheme: 'bearer',
          description:
            'A Backstage user or service token (`Authorization: Bearer <token>`).',
        },
      },
      parameters,
      responses: {
        Error: {
          description: errorResponse.description,
          content: {
            'application/json': { schema: { $ref: `${SCHEMAS}Error` } },
          },
        },
      },
      schemas: {} as Record<string, JsonSchema>,
    },
  };
  document.components.schemas = components(document);
  return document;
}

/**
 * The spec file's text: the document as YAML, quoted and wrapped as the
 * repo's prettier config leaves it (`prettier:check` covers the file).
 */
export function renderOpenApiSpec(): string {
  return `# Generated from stackyard-common's API schemas and routes (src/api);\n# do not edit: run npm run openapi:generate -w @stackyard/plugin-stackyard-backend\n${stringify(
    createOpenApiDocument(),
    { lineWidth: 0, aliasDuplicateObjects: false, singleQuote: true },
  )}`;
}

/** Writes the spec file; returns whether it changed. */
export async function writeOpenApiSpec(): Promise<boolean> {
  const text = renderOpenApiSpec();
  const file = openApiSpecPath();
  const before = fs.existsSync(file) ? fs.readFileSync(file, 'utf8') : '';
  if (before === text) return false;
  fs.writeFileSync(file, text);
  return true;
}
