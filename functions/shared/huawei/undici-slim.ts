/**
 * The parts of undici the Huawei client uses, loaded from undici's own files instead of its index.
 *
 * `import ... from 'undici'` runs undici's index.js, which loads every dispatcher, fetch, WebSocket, EventSource,
 * the cache stores and the mocks: about 520 KiB minified and most of a cold start. The client needs a Pool, the
 * `request` API and the retry interceptor (undici's RetryHandler), so this module takes exactly those files.
 *
 * The file paths are undici internals (undici has no `exports` map, so they resolve). test/relay/undici-slim.test.ts
 * checks, at the pinned version, that each value here is the very object undici's index exports and that a fresh
 * process can make a request through it: an upgrade that moves a file or changes the wiring fails that test.
 * Types come from undici's public declarations (type-only imports, erased at build time): import them from
 * 'undici' with `import type`.
 */
import type { Dispatcher as DispatcherClass, Pool as PoolClass, RetryHandler as RetryHandlerClass, interceptors as undiciInterceptors } from 'undici';
import DispatcherModule from 'undici/lib/dispatcher/dispatcher.js';
import PoolModule from 'undici/lib/dispatcher/pool.js';
import requestModule from 'undici/lib/api/api-request.js';
import RetryHandlerModule from 'undici/lib/handler/retry-handler.js';
import retryModule from 'undici/lib/interceptor/retry.js';


/** The `request` method undici's index.js installs on every dispatcher (`Object.assign(Dispatcher.prototype, api)`). */
export const dispatcherRequest = requestModule as unknown as DispatcherClass['request'];

const dispatcherPrototype = (DispatcherModule as unknown as typeof DispatcherClass).prototype as unknown as Record<string, unknown>;
// Idempotent: when undici's index is loaded too (tests, the local runtime), it assigns the same function.
if (dispatcherPrototype.request !== dispatcherRequest) dispatcherPrototype.request = dispatcherRequest;

export const Pool = PoolModule as unknown as typeof PoolClass;
export type Pool = PoolClass;
export const RetryHandler = RetryHandlerModule as unknown as typeof RetryHandlerClass;
export type RetryHandler = RetryHandlerClass;
export const interceptors: Pick<typeof undiciInterceptors, 'retry'> = {
  retry: retryModule as unknown as typeof undiciInterceptors.retry,
};
