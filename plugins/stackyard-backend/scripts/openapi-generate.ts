/**
 * Writes src/schema/openapi.yaml from stackyard-common's API schemas and
 * routes: `npm run openapi:generate -w @stackyard/plugin-stackyard-backend`.
 * `openApiDocument.test.ts` fails while the committed file is stale.
 */
import {
  writeOpenApiSpec,
  openApiSpecPath,
} from '../src/schema/openApiDocument';

writeOpenApiSpec().then(
  changed => {
    process.stdout.write(
      `${changed ? 'Wrote' : 'Unchanged:'} ${openApiSpecPath()}\n`,
    );
  },
  error => {
    process.stderr.write(`${error?.stack ?? error}\n`);
    process.exitCode = 1;
  },
);
