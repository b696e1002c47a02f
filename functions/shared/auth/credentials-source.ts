import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ENV } from '../env.js';
import { envText } from '../env-values.js';
import { parseSpCredentials, type SpCredentials } from './credentials.js';
import { SpAuthError } from './errors.js';

/**
 * Where the SP credentials come from. Read at every login (rare: tokens live 12-24 h), so a rotated secret is
 * used by the next login without a redeploy.
 */
export interface SpCredentialsSource {
  /** Human-readable origin for error messages, e.g. "secret arn:aws:...". Never a value. */
  readonly origin: string;
  load(): Promise<SpCredentials>;
  /** Forget any cached copy so the next load reads the store again (after a refused login). */
  invalidate(): void;
}

/**
 * How long a fetched secret is reused. Bounds Secrets Manager calls when many logins happen close together,
 * and bounds how long a rotated secret can go unnoticed (a refused login also drops the cached copy).
 */
export const DEFAULT_SECRET_MAX_AGE_SECONDS = 300;

/** Local runtime and tests: the JSON document is given directly in an environment variable. */
export class EnvCredentialsSource implements SpCredentialsSource {
  readonly origin = `the ${ENV.spCredentials} environment variable`;

  constructor(private readonly value: string) {}

  async load(): Promise<SpCredentials> {
    return parseSpCredentials(this.value, this.origin);
  }

  invalidate(): void {
    // Nothing is cached: the value is parsed at every load.
  }
}

export interface SecretsManagerSourceOptions {
  secretId: string;
  maxAgeSeconds?: number;
  /** Injected in tests to point the real SDK client at a loopback endpoint. */
  provider?: SecretsProvider;
}

/** Deployed: the JSON document is the SecretString of a Secrets Manager secret, cached by Powertools. */
export class SecretsManagerCredentialsSource implements SpCredentialsSource {
  readonly origin: string;
  private readonly secretId: string;
  private readonly maxAgeSeconds: number;
  private readonly provider: SecretsProvider;
  private forceFetch = false;

  constructor(options: SecretsManagerSourceOptions) {
    this.secretId = options.secretId;
    this.maxAgeSeconds = options.maxAgeSeconds ?? DEFAULT_SECRET_MAX_AGE_SECONDS;
    this.provider = options.provider ?? new SecretsProvider();
    this.origin = `secret ${options.secretId}`;
  }

  async load(): Promise<SpCredentials> {
    const value = await this.fetch();
    try {
      return parseSpCredentials(value, this.origin);
    } catch (error) {
      // A fixed secret should be picked up at the next load, not after maxAge.
      this.invalidate();
      throw error;
    }
  }

  invalidate(): void {
    this.forceFetch = true;
  }

  private async fetch(): Promise<string | Uint8Array> {
    const forceFetch = this.forceFetch;
    this.forceFetch = false;
    let value: string | Uint8Array | undefined;
    try {
      // No `transform: 'json'`: its parse error would quote part of the secret.
      value = await this.provider.get(this.secretId, { maxAge: this.maxAgeSeconds, forceFetch });
    } catch (error) {
      this.forceFetch = true;
      const reason = error instanceof Error ? error.message : String(error);
      throw new SpAuthError('credentials-unavailable', `Could not read SP credentials from ${this.origin}: ${reason}`, {}, { cause: error });
    }
    if (value === undefined) {
      this.forceFetch = true;
      throw new SpAuthError('credentials-unavailable', `SP credentials ${this.origin} has no value`);
    }
    return value;
  }
}

/** Used when neither variable is set, so that importing the module never throws; the first login does. */
class MissingCredentialsSource implements SpCredentialsSource {
  readonly origin = 'no configured source';

  async load(): Promise<SpCredentials> {
    throw new SpAuthError(
      'credentials-unavailable',
      `No SP credentials configured: set ${ENV.spCredentialsSecretArn} (deployed) or ${ENV.spCredentials} (local)`,
    );
  }

  invalidate(): void {}
}

/** The secret ARN wins when both are set: a deployed function must never fall back to an env var. */
export function credentialsSourceFromEnv(env: NodeJS.ProcessEnv = process.env): SpCredentialsSource {
  const secretId = envText(env, ENV.spCredentialsSecretArn);
  if (secretId !== undefined) return new SecretsManagerCredentialsSource({ secretId });
  const inline = envText(env, ENV.spCredentials);
  if (inline !== undefined) return new EnvCredentialsSource(inline);
  return new MissingCredentialsSource();
}
