/**
 * The one parser of environment variables, for the functions, the local runtime and the benchmarks. Blank counts
 * as unset; a value that breaks its rule is a deployment error that names the variable, the rule and the value.
 */
export type Env = Readonly<Record<string, string | undefined>>;

export class EnvConfigError extends Error {
  constructor(name: string, rule: string, raw?: string) {
    super(`${name} ${rule}${raw === undefined ? '' : ` (got "${raw}")`}`);
    this.name = 'EnvConfigError';
  }
}

/** The trimmed value, or undefined when unset or blank. */
export function envText(env: Env, name: string): string | undefined {
  const raw = env[name]?.trim();
  return raw === undefined || raw === '' ? undefined : raw;
}

/** A value the code cannot run without: missing is an error naming the variable (thrown at init). */
export function requireEnv(env: Env, name: string, rule: string): string {
  const value = envText(env, name);
  if (value === undefined) throw new EnvConfigError(name, rule);
  return value;
}

/** `true` or `false` (exactly), else the fallback when unset. */
export function envBoolean(env: Env, name: string, fallback: boolean, rule = 'must be "true" or "false"'): boolean {
  const raw = envText(env, name);
  if (raw === undefined) return fallback;
  if (raw === 'true' || raw === 'false') return raw === 'true';
  throw new EnvConfigError(name, rule, raw);
}

/** A whole number from `min` to `max`, else the fallback when unset. */
export function envInteger<F extends number | undefined>(
  env: Env,
  name: string,
  options: { fallback: F; min: number; max: number; rule: string },
): number | F {
  const raw = envText(env, name);
  if (raw === undefined) return options.fallback;
  const value = Number(raw);
  if (!/^[0-9]+$/.test(raw) || value < options.min || value > options.max) throw new EnvConfigError(name, options.rule, raw);
  return value;
}
