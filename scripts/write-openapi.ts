/**
 * Writes openapi/openapi.json from the code (the router and the contract). A test fails when the
 * committed file differs from what this produces: run `npm run openapi` after changing a route or schema.
 */
import { writeFileSync } from 'node:fs';
import { buildOpenApiDocument } from '../src/api/openapiDocument.ts';

const target = new URL('../openapi/openapi.json', import.meta.url);
writeFileSync(target, `${JSON.stringify(buildOpenApiDocument(), null, 2)}\n`);
console.log(`wrote ${target.pathname}`);
