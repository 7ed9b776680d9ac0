/**
 * @module lib/version
 * This package's version, reported by the init frame, GraphQL `version`, the runtime contract and metrics.
 */
import { readFileSync } from 'node:fs';

const packageJson = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

export const GATEWAY_VERSION: string = packageJson.version;
