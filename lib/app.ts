import { App } from 'aws-cdk-lib';
import { ConfigError } from './config.js';
import { addMeetingRelay } from './meeting-relay-app.js';

const app = new App();
try {
  addMeetingRelay(app);
} catch (error) {
  // A configuration mistake deserves its message, not a stack trace.
  if (!(error instanceof ConfigError)) throw error;
  console.error(error.message);
  process.exit(1);
}
