import { readFile, realpath } from 'node:fs/promises';
import { isAbsolute, relative, resolve, sep } from 'node:path';
import {
  CatalogProcessor,
  CatalogProcessorEmit,
  CatalogProcessorParser,
  LocationSpec,
  processingResult,
} from '@backstage/plugin-catalog-node';
import { localRepoEntityRefusal } from './localRepoEntityRules';

/** The location type of catalog files in locally published repositories. */
export const LOCAL_REPO_LOCATION_TYPE = 'stackyard-local';

/**
 * Reads `stackyard-local` locations: catalog files inside the directory
 * `stackyard:publish:local` publishes to. The catalog's own `file` type
 * would let anyone who may register a location read any file of the
 * backend host; this type reads only below that one directory (symlinks
 * resolved), so it can be opened to `catalog:register`-style requests.
 *
 * The files are rendered from form answers, so their entities are checked
 * too ({@link localRepoEntityRefusal}): a refused one is reported as an
 * error in its place, which fails the whole location — nothing from a
 * hostile file is registered.
 */
export class LocalRepoProcessor implements CatalogProcessor {
  constructor(private readonly directory: string) {}

  getProcessorName() {
    return 'StackyardLocalRepoProcessor';
  }

  async readLocation(
    location: LocationSpec,
    optional: boolean,
    emit: CatalogProcessorEmit,
    parser: CatalogProcessorParser,
  ): Promise<boolean> {
    if (location.type !== LOCAL_REPO_LOCATION_TYPE) return false;
    let path: string;
    try {
      path = await this.resolveInside(location.target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
        if (!optional) {
          emit(
            processingResult.notFoundError(
              location,
              `${location.type} ${location.target} does not exist`,
            ),
          );
        }
      } else {
        emit(processingResult.inputError(location, String(error)));
      }
      return true;
    }
    const data = await readFile(path);
    const at = { type: LOCAL_REPO_LOCATION_TYPE, target: path };
    for await (const result of parser({ data, location: at })) {
      const refusal =
        result.type === 'entity'
          ? localRepoEntityRefusal(result.entity)
          : undefined;
      emit(refusal ? processingResult.inputError(at, refusal) : result);
    }
    emit(processingResult.refresh(`${LOCAL_REPO_LOCATION_TYPE}:${path}`));
    return true;
  }

  /** The real path of `target`, which must lie inside the directory. */
  private async resolveInside(target: string): Promise<string> {
    if (!isAbsolute(target)) {
      throw new Error(`Location target ${target} must be an absolute path`);
    }
    // Checked before touching the file (so nothing outside is even probed)
    // and again after resolving symlinks.
    this.assertInside(this.directory, resolve(target), target);
    const [root, path] = await Promise.all([
      realpath(this.directory),
      realpath(target),
    ]);
    this.assertInside(root, path, target);
    return path;
  }

  private assertInside(root: string, path: string, target: string) {
    const rel = relative(root, path);
    if (!rel || rel === '..' || rel.startsWith(`..${sep}`) || isAbsolute(rel)) {
      throw new Error(
        `Location target ${target} is outside the local publish directory ${this.directory}`,
      );
    }
  }
}
