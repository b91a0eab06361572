// Moving template files in and out of the scaffolder's dry-run API, and the
// checks every rendered Stackyard service must pass.
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { parse } from 'yaml';

/** Every file under `dir`, as the dry-run API takes them. */
export function directoryContents(dir, base = dir) {
  const files = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) {
      files.push(...directoryContents(path, base));
    } else {
      files.push({
        path: relative(base, path),
        base64Content: readFileSync(path).toString('base64'),
      });
    }
  }
  return files;
}

/** Writes the dry run's rendered files under `out`, refusing escapes. */
export function writeContents(contents, out) {
  for (const file of contents) {
    const path = resolve(out, file.path);
    if (!path.startsWith(`${out}${sep}`)) {
      throw new Error(`Rendered file ${file.path} lies outside the output`);
    }
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, Buffer.from(file.base64Content, 'base64'), {
      mode: file.executable ? 0o755 : 0o644,
    });
  }
}

function readYaml(out, file, problems) {
  const path = join(out, file);
  if (!existsSync(path)) {
    problems.push(`${file} was not rendered`);
    return undefined;
  }
  try {
    return parse(readFileSync(path, 'utf8'));
  } catch (error) {
    problems.push(`${file} is not valid YAML: ${error.message}`);
    return undefined;
  }
}

/**
 * Problems with a rendered service: the files Stackyard relies on exist and
 * parse, the entity names the service and records template name + version,
 * and no template expression was left unrendered.
 */
export function renderedFileProblems(out, { values, templateName, version }) {
  const problems = [];
  const entity = readYaml(out, 'catalog-info.yaml', problems);
  if (entity) {
    if (entity.metadata?.name !== values.name) {
      problems.push(
        `catalog-info.yaml names ${JSON.stringify(
          entity.metadata?.name,
        )}, not the service ${JSON.stringify(values.name)}`,
      );
    }
    const recorded = entity.metadata?.annotations?.['stackyard.io/template'];
    if (recorded !== `${templateName}@${version}`) {
      problems.push(
        `catalog-info.yaml records template ${JSON.stringify(
          recorded,
        )}, not "${templateName}@${version}"`,
      );
    }
  }
  const manifest = readYaml(out, 'stackyard.yaml', problems);
  if (manifest && manifest.service?.name !== values.name) {
    problems.push(`stackyard.yaml does not name the service ${values.name}`);
  }
  const pkg = readYaml(out, 'package.json', problems);
  if (pkg && typeof pkg.scripts?.test !== 'string') {
    problems.push('package.json has no "test" script');
  }
  for (const file of directoryContents(out)) {
    const text = readFileSync(join(out, file.path), 'utf8');
    // `${{ ... }}` alone is legitimate (GitHub Actions); `${{ values.` is not.
    if (/\$\{\{\s*values\.|\{%|%\}/.test(text)) {
      problems.push(`${file.path} holds an unrendered template expression`);
    }
  }
  return problems;
}
