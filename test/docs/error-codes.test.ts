/**
 * The relay's error-code table is written out in the README and in docs/relay.md for readers; RELAY_ERRORS is
 * the source. A code added, removed or renumbered in one place and not the others fails here.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RELAY_ERRORS } from '../../functions/shared/http/relay-errors.js';

const COPIES = ['README.md', 'docs/relay.md'] as const;

/** `status code` for every row of the form "| 400 | `RELAY.400001` | ...". */
function documentedCodes(file: string): string[] {
  const text = readFileSync(new URL(`../../${file}`, import.meta.url), 'utf8');
  return [...text.matchAll(/^\| *(\d{3}) *\| *`(RELAY\.\d{6})` *\|/gm)].map(([, status, code]) => `${status} ${code}`);
}

const source = Object.values(RELAY_ERRORS).map(({ status, code }) => `${status} ${code}`);

describe('error-code table', () => {
  it('has unique codes whose first digits are their HTTP status', () => {
    expect(new Set(source).size).toBe(source.length);
    for (const { status, code } of Object.values(RELAY_ERRORS)) expect(code.startsWith(`RELAY.${status}`)).toBe(true);
  });

  it.each(COPIES)('%s lists exactly the codes of RELAY_ERRORS, each once, with its status', (file) => {
    const documented = documentedCodes(file);
    expect(documented.toSorted()).toEqual(source.toSorted());
  });
});
