import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ERROR_CODES } from '../../local/simulator/error-codes.js';
import { HUAWEI_ROUTES } from '../../local/simulator/routes.js';

const doc = readFileSync(new URL('../../docs/simulator.md', import.meta.url), 'utf8');

describe('docs/simulator.md stays true to the code', () => {
  it.each(Object.entries(ERROR_CODES))('lists the %s error code with its status', (_kind, entry) => {
    const row = doc.split('\n').find((line) => line.includes(`\`${entry.code}\``) && line.startsWith(`| ${entry.status} |`));
    expect(row, `${entry.status} ${entry.code}`).toBeDefined();
  });

  it.each(HUAWEI_ROUTES.map((r) => [r.method, r.pattern]))('documents %s %s', (method, pattern) => {
    const documented = pattern.replace(/:([a-z_]+)/g, '{$1}');
    expect(doc).toContain(`\`${method} ${documented}\``);
  });
});
