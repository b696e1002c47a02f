import { Validations, type App } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { configFromContext } from './config.js';
import { MeetingRelayStack } from './meeting-relay-stack.js';

export const STACK_ID = 'MeetingRelay';

/**
 * Adds the meeting-relay stack to an app, configured from the app's context, with cdk-nag's AwsSolutions checks
 * always on: any finding not acknowledged on its own resource fails the synth. The stack has no env, so synth
 * needs no account, region, credentials or network (no lookups).
 */
export function addMeetingRelay(app: App): MeetingRelayStack {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  const config = configFromContext(app.node);
  return new MeetingRelayStack(app, STACK_ID, {
    config,
    description: 'meeting-relay: Huawei Cloud Meeting relay, resource registry and expiry sweeper',
  });
}
