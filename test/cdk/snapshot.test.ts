import { afterAll, expect, it } from 'vitest';
import { removeSynthOutputs, synthMeetingRelay } from './synth-helpers.js';

/**
 * The whole template, to make every change to what gets deployed visible in review. Asset hashes and bundle paths
 * change with any source edit, so they are masked; everything else is compared as synthesized.
 * After an intended change: `npx vitest run test/cdk/snapshot.test.ts -u`, then read the diff.
 */
function normalise(template: unknown): unknown {
  const text = JSON.stringify(template)
    .replace(/[0-9a-f]{64}\.zip/g, '<asset-hash>.zip')
    .replace(/asset\.[0-9a-f]{64}/g, 'asset.<asset-hash>');
  return JSON.parse(text);
}

afterAll(() => {
  removeSynthOutputs();
});

it('synthesizes the template recorded in the snapshot (defaults)', () => {
  const { json } = synthMeetingRelay();

  expect(normalise(json)).toMatchSnapshot();
});

it('synthesizes the template recorded in the snapshot (IAM mode, alarm e-mail, imported secret)', () => {
  const { json } = synthMeetingRelay({
    context: {
      authorizationMode: 'IAM',
      alarmEmail: 'ops@example.com',
      spCredentialsSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:meeting-relay/sp-AbC123',
    },
  });

  expect(normalise(json)).toMatchSnapshot();
});
