import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** The repository root: NodejsFunction's project root, where package-lock.json lives. */
export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url));

export const DEPS_LOCK_FILE = path.join(PROJECT_ROOT, 'package-lock.json');

/** Absolute path of a function entry given relative to the repository root (as the route table does). */
export function projectPath(relativePath: string): string {
  return path.resolve(PROJECT_ROOT, relativePath);
}
