/**
 * Kept only for test/simulation/memory-registry-contract.test.ts (its folder was out of the fixture change's
 * edits): the registry part of the one test fixture, test/support/stack.ts, under its old name.
 */
export { startRegistry as startTestRegistry } from './stack.js';
export type { TestRegistry } from './stack.js';
