import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENV } from '../../functions/shared/env.js';
import { BENCH_ENV } from '../../bench/env.js';
import { LOCAL_ENV } from '../../local/env.js';
import { HTTP_ROUTES } from '../../functions/shared/routes.js';
import { CONTEXT_KEYS } from '../../lib/config.js';

const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');

/** The first cell of every table row under the given heading, unwrapped from backticks. */
function firstColumn(heading: string): string[] {
  const start = readme.indexOf(`\n${heading}\n`);
  expect(start, `README has a "${heading}" section`).toBeGreaterThan(-1);
  const section = readme.slice(start + heading.length + 2).split(/\n#{2,3} /)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .map((line) => line.split('|')[1]!.trim().replaceAll('`', ''));
}

describe('README', () => {
  it('documents every environment variable the code reads', () => {
    const documented = firstColumn('## Configuration (environment variables)');
    for (const name of [...Object.values(ENV), ...Object.values(LOCAL_ENV), ...Object.values(BENCH_ENV)]) expect(documented).toContain(name);
  });

  it('documents every CDK context key the stack accepts', () => {
    const documented = firstColumn('### CDK context');
    expect([...documented].sort()).toEqual([...CONTEXT_KEYS].sort());
  });

  it('lists every route of the route table', () => {
    for (const route of HTTP_ROUTES) expect(readme).toContain(`| \`${route.method}\` | \`${route.path}\` |`);
  });

  it('keeps the quick start commands', () => {
    expect(readme).toContain('npm ci && npm start');
    expect(readme).toContain('npm ci && npm test');
  });
});
