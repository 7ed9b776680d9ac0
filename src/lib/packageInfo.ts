/**
 * @module lib/packageInfo
 * This package's version, reported by the init frame, GraphQL `version`, the runtime contract and metrics,
 * and the package's directory (where `vendor/` lies). Found from this module's location, which is
 * `src/lib/` when the gateway runs from source and `dist/` when it runs bundled: the nearest directory
 * above it whose package.json is this package's.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const PACKAGE_NAME = 'noetl-gateway';

function findPackage(): { directory: string; version: string } {
  let directory = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const file = join(directory, 'package.json');
    if (existsSync(file)) {
      const manifest = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (manifest.name === PACKAGE_NAME && manifest.version) return { directory, version: manifest.version };
    }
    const parent = dirname(directory);
    if (parent === directory)
      throw new Error(`package.json of ${PACKAGE_NAME} not found above ${import.meta.url}`);
    directory = parent;
  }
}

const found = findPackage();

export const GATEWAY_VERSION: string = found.version;

/** The package's directory, as a file URL ending in `/`. */
export const PACKAGE_ROOT: URL = pathToFileURL(`${found.directory}/`);
