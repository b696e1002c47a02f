/**
 * Import first, before anything that loads the functions' logger: thousands of generated requests would
 * otherwise write two info lines each, which costs a third of the run and buries the test output. Powertools
 * reads the level when the logger is built and restores it on every invocation, so it must be set in the
 * environment before that. What is logged is checked by test/security/.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'WARN';
