import type { RecordedRequest } from './control-types.js';

/** Body fields whose values are never stored (tokens and secrets). */
const SECRET_KEYS = new Set(['token', 'accesstoken', 'refreshtoken', 'password', 'pwd', 'appkey', 'signature', 'credential']);
export const MASK = '***';

/** Copy of a parsed body with secret-named fields masked at any depth. */
export function maskSecrets(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(maskSecrets);
  if (typeof value === 'object' && value !== null) {
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      out[key] = SECRET_KEYS.has(key.toLowerCase()) ? MASK : maskSecrets(inner);
    }
    return out;
  }
  return value;
}

/** Headers whose values are credentials: recorded by name only. */
const SECRET_HEADERS = new Set(['x-access-token', 'authorization', 'proxy-authorization', 'cookie']);

/** Request headers, names lowercased, repeated values joined with ", ", credential values masked. */
export function maskHeaders(headers: Readonly<Record<string, string | string[] | undefined>>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    const key = name.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) ? MASK : Array.isArray(value) ? value.join(', ') : value;
  }
  return out;
}

export const DEFAULT_MAX_LOGGED_REQUESTS = 100_000;

/** Requests in arrival order, bounded (oldest dropped) so long benchmarks do not grow memory forever. */
export class RequestLog {
  private entries: RecordedRequest[] = [];

  constructor(private readonly max: number = DEFAULT_MAX_LOGGED_REQUESTS) {}

  /** Records an arriving request; the caller fills in `status` (and `body`) as they become known. */
  record(entry: RecordedRequest): RecordedRequest {
    this.entries.push(entry);
    // Trim in chunks so a full log does not pay an O(n) shift on every request.
    if (this.entries.length > this.max + Math.ceil(this.max / 10)) this.entries = this.entries.slice(-this.max);
    return entry;
  }

  list(): RecordedRequest[] {
    return this.entries.slice(-this.max);
  }

  clear(): void {
    this.entries = [];
  }
}
