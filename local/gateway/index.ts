/** Public entry of the local API Gateway emulator. */
export { startGateway, loadRouteHandler, DEFAULT_GATEWAY_PORT, DEFAULT_FUNCTION_TIMEOUT_MS } from './server.js';
export type { GatewayOptions, LambdaHttpHandler, LocalRoute, RunningGateway } from './server.js';
