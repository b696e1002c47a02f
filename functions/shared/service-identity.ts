/**
 * Names the functions report under, shared by the Powertools singletons and the CDK stack (which sets them per
 * function and builds alarms on the metrics). Kept free of imports so the CDK app can read it cheaply.
 */
export const SERVICE_NAME = 'meeting-relay';
export const METRICS_NAMESPACE = 'MeetingRelay';
