/**
 * undici's internal CommonJS files used by undici-slim.ts; they ship no declarations. Typed as unknown here and
 * given undici's public types there (checked against undici's index by test/relay/undici-slim.test.ts).
 */
declare module 'undici/lib/dispatcher/dispatcher.js' {
  const value: unknown;
  export default value;
}
declare module 'undici/lib/dispatcher/pool.js' {
  const value: unknown;
  export default value;
}
declare module 'undici/lib/api/api-request.js' {
  const value: unknown;
  export default value;
}
declare module 'undici/lib/handler/retry-handler.js' {
  const value: unknown;
  export default value;
}
declare module 'undici/lib/interceptor/retry.js' {
  const value: unknown;
  export default value;
}
