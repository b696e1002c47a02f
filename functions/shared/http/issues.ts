/**
 * Turns zod issues into one `error_msg` that names each field and the rule it breaks, e.g.
 * `chairPwd: must be 4 to 16 digits; [3].id: required`.
 */
import type { z } from 'zod/mini';
import { MAX_ERROR_MESSAGE_LENGTH } from '../limits.js';

/** `[3].id`, `chairPwd`; the whole body is `body`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let result = '';
  for (const segment of path) {
    if (typeof segment === 'number') result += `[${segment}]`;
    else result += result === '' ? String(segment) : `.${String(segment)}`;
  }
  return result === '' ? 'body' : result;
}

export function describeIssue(issue: z.core.$ZodIssue): string[] {
  if (issue.code === 'unrecognized_keys') {
    // Key names come from the client; JSON.stringify keeps odd ones (spaces, quotes) readable and inert.
    return issue.keys.map((key) => `${formatPath([...issue.path, safeKey(key)])}: unknown field`);
  }
  return [`${formatPath(issue.path)}: ${issue.message}`];
}

/** All issues joined with "; ", capped so a 100-item body cannot produce a huge error. */
export function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return joinCapped(issues.flatMap(describeIssue));
}

export function joinCapped(parts: readonly string[], maxLength = MAX_ERROR_MESSAGE_LENGTH): string {
  let message = '';
  for (const [index, part] of parts.entries()) {
    const next = message === '' ? part : `${message}; ${part}`;
    const remaining = parts.length - index;
    if (next.length > maxLength) {
      return `${message}; ... and ${remaining} more`;
    }
    message = next;
  }
  return message;
}

function safeKey(key: string): string {
  const shortened = key.length > 64 ? `${key.slice(0, 64)}...` : key;
  return /^[A-Za-z0-9_$]+$/.test(shortened) ? shortened : JSON.stringify(shortened);
}
