/**
 * Import first, before anything that loads the functions' logger, in tests that provoke failures on purpose
 * (a 503 after lost races, an upstream refusal): the handlers' error lines are expected there and would only
 * bury the test output. What is logged is checked by test/security/.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'SILENT';
