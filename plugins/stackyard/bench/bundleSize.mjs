/* eslint-disable no-console */
// Reports how many bytes of the built portal (packages/app/dist) come from
// this plugin, using the bundles' source maps, and the size of the chunks
// the Infra tab loads on demand.
//
//   node plugins/stackyard/bench/bundleSize.mjs [path/to/app/dist]
//
// Build the app first (npm run test:e2e builds it, or
// `cd packages/app && NODE_ENV=production npx backstage-cli package build`).
import { readFileSync, readdirSync, existsSync } from 'node:fs';
import { resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const dist = resolve(
  process.argv[2] ?? resolve(here, '../../../packages/app/dist'),
);
const staticDir = resolve(dist, 'static');
if (!existsSync(staticDir)) {
  console.error(`No build at ${staticDir}; build packages/app first.`);
  process.exit(1);
}

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const b64 = Object.fromEntries([...B64].map((c, i) => [c, i]));

function decodeVlq(segment) {
  const values = [];
  let value = 0;
  let shift = 0;
  for (const char of segment) {
    const digit = b64[char];
    value += (digit & 31) << shift;
    if (digit & 32) {
      shift += 5;
    } else {
      values.push(value & 1 ? -(value >>> 1) : value >>> 1);
      value = 0;
      shift = 0;
    }
  }
  return values;
}

/** Bytes of generated code per source file of one bundle. */
function bytesPerSource(code, map) {
  const lines = code.split('\n');
  const totals = new Map();
  let source = 0;
  map.mappings.split(';').forEach((line, lineIndex) => {
    const length = lines[lineIndex]?.length ?? 0;
    let column = 0;
    const segments = line
      .split(',')
      .filter(Boolean)
      .map(s => {
        const v = decodeVlq(s);
        column += v[0];
        if (v.length > 1) source += v[1];
        return { column, source: v.length > 1 ? source : -1 };
      });
    segments.forEach((segment, i) => {
      const end = segments[i + 1]?.column ?? length;
      if (segment.source < 0) return;
      const name = map.sources[segment.source];
      totals.set(name, (totals.get(name) ?? 0) + (end - segment.column));
    });
  });
  return totals;
}

const belongs = {
  plugin: /plugins\/stackyard\/src\//,
  common: /plugins\/stackyard-common\/src\//,
};
const sums = { plugin: 0, common: 0 };
const chunks = [];
for (const file of readdirSync(staticDir).filter(f => f.endsWith('.js'))) {
  const mapFile = resolve(staticDir, `${file}.map`);
  if (!existsSync(mapFile)) continue;
  const code = readFileSync(resolve(staticDir, file), 'utf8');
  const totals = bytesPerSource(
    code,
    JSON.parse(readFileSync(mapFile, 'utf8')),
  );
  let own = 0;
  for (const [source, bytes] of totals) {
    for (const [key, pattern] of Object.entries(belongs)) {
      if (pattern.test(source)) {
        sums[key] += bytes;
        if (key === 'plugin') own += bytes;
      }
    }
  }
  if (own > 0) {
    chunks.push({
      file,
      bytes: Buffer.byteLength(code),
      gzip: gzipSync(code).length,
      pluginBytes: own,
    });
  }
}

const kb = n => `${(n / 1024).toFixed(1)} KiB`;
console.log(`Build: ${dist}`);
console.log(`@stackyard/plugin-stackyard code (minified): ${kb(sums.plugin)}`);
console.log(
  `@stackyard/plugin-stackyard-common code it pulls in: ${kb(sums.common)}`,
);
console.log('Chunks holding plugin code:');
for (const c of chunks.sort((a, b) => b.pluginBytes - a.pluginBytes)) {
  console.log(
    `  ${c.file}: ${kb(c.bytes)} (${kb(c.gzip)} gzip), of which plugin ${kb(
      c.pluginBytes,
    )}`,
  );
}
