/**
 * `npm run openapi`: writes docs/openapi.json from the route table and the zod schemas (lib/openapi/document.ts).
 */
import { writeFileSync } from 'node:fs';
import { projectPath } from '../paths.js';
import { OPENAPI_FILE, openApiDocumentText } from './document.js';

const file = projectPath(OPENAPI_FILE);
writeFileSync(file, openApiDocumentText());
console.log(`wrote ${file}`);
