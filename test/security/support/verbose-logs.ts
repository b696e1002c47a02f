/**
 * Import first, before anything that loads the functions' logger: the most talkative settings an operator could
 * choose (debug level, and Powertools' own event logging switched on), so that a secret in any log line at any
 * level, or in a logged event, would be caught. Powertools reads both when the logger is built.
 */
process.env.POWERTOOLS_LOG_LEVEL = 'DEBUG';
process.env.POWERTOOLS_LOGGER_LOG_EVENT = 'true';
