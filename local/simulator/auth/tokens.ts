import { randomBytes } from 'node:crypto';

/** Token lifetimes and limits, as documented (huawei-meeting-api.md §1.1, §1.3). */
export const DEFAULT_TOKEN_TTL_SECONDS = 12 * 60 * 60;
export const REFRESH_TOKEN_TTL_SECONDS = 30 * 24 * 60 * 60;
/** clientType 72 ("API call") allows 64 live tokens per identity; any other clientType allows one. */
export const API_CLIENT_TYPE = 72;
export const MAX_API_TOKENS = 64;

const ALPHANUMERIC = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** Huawei-looking token: a prefix plus 33 alphanumerics (examples are ~36 characters starting `stb`). */
export function generateToken(prefix: string): string {
  const bytes = randomBytes(33);
  let out = prefix;
  for (const byte of bytes) out += ALPHANUMERIC[byte % ALPHANUMERIC.length];
  return out;
}

export interface TokenRecord {
  accessToken: string;
  refreshToken: string;
  userId: string;
  clientType: number;
  tokenIp: string;
  /** Epoch ms. */
  createdAt: number;
  expiresAt: number;
  refreshCreatedAt: number;
  refreshExpiresAt: number;
}

/** Live tokens, with expiry read from an injectable clock and Huawei's per-identity token limits. */
export class TokenStore {
  private readonly byAccess = new Map<string, TokenRecord>();
  private readonly byRefresh = new Map<string, TokenRecord>();

  constructor(
    private readonly now: () => number,
    private readonly ttlSeconds: number,
  ) {}

  issue(userId: string, clientType: number, tokenIp: string): TokenRecord {
    this.enforceLimit(userId, clientType);
    const now = this.now();
    const record: TokenRecord = {
      accessToken: generateToken('stb'),
      refreshToken: generateToken('cnr'),
      userId,
      clientType,
      tokenIp,
      createdAt: now,
      expiresAt: now + this.ttlSeconds * 1000,
      refreshCreatedAt: now,
      refreshExpiresAt: now + REFRESH_TOKEN_TTL_SECONDS * 1000,
    };
    this.byAccess.set(record.accessToken, record);
    this.byRefresh.set(record.refreshToken, record);
    return record;
  }

  /** The live record for an access token; expired ones are dropped. */
  findLive(accessToken: string): TokenRecord | undefined {
    const record = this.byAccess.get(accessToken);
    if (record === undefined) return undefined;
    if (this.now() >= record.expiresAt) return undefined;
    return record;
  }

  /** The record whose refresh token this is, while the refresh token lives. */
  findByRefreshToken(refreshToken: string): TokenRecord | undefined {
    const record = this.byRefresh.get(refreshToken);
    if (record === undefined || this.now() >= record.refreshExpiresAt) return undefined;
    return record;
  }

  /** Extends the token in place (the documented example returns the same token string). */
  extend(record: TokenRecord, now: number): void {
    record.expiresAt = now + this.ttlSeconds * 1000;
  }

  revoke(record: TokenRecord): void {
    this.byAccess.delete(record.accessToken);
    this.byRefresh.delete(record.refreshToken);
  }

  /** Revokes every token; returns how many were live. */
  revokeAll(): number {
    const now = this.now();
    let live = 0;
    for (const record of this.byAccess.values()) if (now < record.expiresAt) live += 1;
    this.byAccess.clear();
    this.byRefresh.clear();
    return live;
  }

  private enforceLimit(userId: string, clientType: number): void {
    const isApi = clientType === API_CLIENT_TYPE;
    const now = this.now();
    const same = [...this.byAccess.values()].filter(
      (r) => r.userId === userId && (r.clientType === API_CLIENT_TYPE) === isApi,
    );
    for (const record of same) {
      // Fully dead records (access and refresh expired) are garbage; drop them while we are here.
      if (now >= record.expiresAt && now >= record.refreshExpiresAt) this.revoke(record);
    }
    const live = same.filter((r) => now < r.expiresAt).sort((a, b) => a.createdAt - b.createdAt);
    const allowed = isApi ? MAX_API_TOKENS : 1;
    // Issuing one more must leave at most `allowed` live: evict the oldest first.
    for (let i = 0; i <= live.length - allowed; i += 1) {
      const oldest = live[i];
      if (oldest !== undefined) this.revoke(oldest);
    }
  }
}
