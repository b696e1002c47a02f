import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { afterAll, describe, expect, it } from 'vitest';
import type { ContextKey } from '../../lib/config.js';
import { removeSynthOutputs, synthMeetingRelay } from './synth-helpers.js';

/**
 * cdk-nag runs inside every synth (lib/meeting-relay-app.ts registers it): an unacknowledged finding makes the
 * synth throw, so it already fails every CDK test. These tests read the validation report the synth writes and
 * say which finding, check that each acknowledgement is still needed, and that it sits on its own resource.
 */

const IMPORTED_SECRET_ARN = 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:meeting-relay/sp-AbC123';
const IAM_EMAIL_IMPORTED: Partial<Record<ContextKey, unknown>> = {
  authorizationMode: 'IAM',
  alarmEmail: 'ops@example.com',
  spCredentialsSecretArn: IMPORTED_SECRET_ARN,
};

/** Each acknowledged finding with the construct it is acknowledged on: the resource itself or its L2 parent. */
const DEFAULT_ACKNOWLEDGEMENTS = [
  'AwsSolutions-APIG4 on MeetingRelay/Api/DefaultRoute',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/ANY--v1--metrics--{proxy+}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/ANY--v1--mmc--{proxy+}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/ANY--v1--usg--{proxy+}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/ANY--v1--wss--{proxy+}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/ANY--v2--mms--{proxy+}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/ANY--v2--usg--{proxy+}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/PUT--v1--usg--dcs--member--vmr--{id}',
  'AwsSolutions-APIG4 on MeetingRelay/Api/HttpApi/PUT--v1--usg--dcs--sp--corp--{corp_id}--resource',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/ModifyResourcesRole',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/ModifyVmrRole',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/NoRouteRole',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/Notices/FunctionRole',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/RegistryApiRole',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/Sweeper/FunctionRole',
  'AwsSolutions-IAM5[Resource::*] on MeetingRelay/Sync/FunctionRole',
  'AwsSolutions-SMG4 on MeetingRelay/SpCredentials',
  'AwsSolutions-SQS3 on MeetingRelay/Notices/FailureQueue',
  'AwsSolutions-SQS3 on MeetingRelay/Sweeper/FailureQueue',
  'AwsSolutions-SQS3 on MeetingRelay/Sync/FailureQueue',
];

/** In IAM mode routes are authorized (no APIG4) and an imported secret is not ours to rotate (no SMG4). */
const IAM_EMAIL_IMPORTED_ACKNOWLEDGEMENTS = DEFAULT_ACKNOWLEDGEMENTS.filter(
  (ack) => !ack.startsWith('AwsSolutions-APIG4') && !ack.startsWith('AwsSolutions-SMG4'),
);

/** Without passthrough the prefixes' routes, and their acknowledgements, are gone. */
const PASSTHROUGH_OFF_ACKNOWLEDGEMENTS = DEFAULT_ACKNOWLEDGEMENTS.filter((ack) => !ack.includes('{proxy+}'));

interface ReportViolation {
  ruleName: string;
  violatingConstructs: Array<{ constructPath: string }>;
  acknowledgedId?: string;
  reason?: string;
  acknowledgedAt?: string;
}

interface ValidationReport {
  pluginReports: Array<{ pluginName: string; conclusion: string; violations: ReportViolation[]; suppressedViolations?: ReportViolation[] }>;
}

function validationReport(outdir: string): ValidationReport {
  return JSON.parse(readFileSync(path.join(outdir, 'validation-report.json'), 'utf8')) as ValidationReport;
}

function suppressed(report: ValidationReport): ReportViolation[] {
  return report.pluginReports.flatMap((plugin) => plugin.suppressedViolations ?? []);
}

/** Every acknowledgement recorded in the construct tree, as "id on path". */
function acknowledgementsInTree(scope: IConstruct): string[] {
  return scope.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) => Object.keys(entry.data as Record<string, string>).map((id) => `${id} on ${construct.node.path}`)),
  );
}

afterAll(() => {
  removeSynthOutputs();
});

describe('cdk-nag AwsSolutions', () => {
  it.each([
    ['the defaults', {}, DEFAULT_ACKNOWLEDGEMENTS],
    ['IAM authorization, an alarm e-mail and an imported secret', IAM_EMAIL_IMPORTED, IAM_EMAIL_IMPORTED_ACKNOWLEDGEMENTS],
    ['passthrough off', { passthrough: false }, PASSTHROUGH_OFF_ACKNOWLEDGEMENTS],
  ] as const)('reports no open finding with %s, and only the expected acknowledgements', (_name, context, expected) => {
    // Act
    const { outdir } = synthMeetingRelay({ context });
    const report = validationReport(outdir);

    // Assess
    expect(report.pluginReports.map((plugin) => [plugin.pluginName, plugin.conclusion])).toEqual([['AwsSolutions', 'success']]);
    expect(report.pluginReports.flatMap((plugin) => plugin.violations)).toEqual([]);
    expect(suppressed(report).map((violation) => `${violation.ruleName} on ${violation.acknowledgedAt}`).sort()).toEqual(expected);
  });

  it('acknowledges each finding on the resource that raises it, never the stack or the app, with a reason', () => {
    const { outdir, stack } = synthMeetingRelay();

    for (const violation of suppressed(validationReport(outdir))) {
      expect(violation.acknowledgedAt).not.toBe(stack.node.path);
      expect(violation.acknowledgedAt).not.toBe('');
      for (const construct of violation.violatingConstructs) {
        expect(construct.constructPath.startsWith(`${violation.acknowledgedAt}/`)).toBe(true);
      }
      expect(violation.acknowledgedId).toBe(`AwsSolutions::${violation.ruleName}`);
      expect(violation.reason?.length ?? 0).toBeGreaterThan(40);
    }
  });

  it.each([
    ['the defaults', {}],
    ['IAM authorization, an alarm e-mail and an imported secret', IAM_EMAIL_IMPORTED],
  ] as const)('uses every acknowledgement in the construct tree with %s, so none is stale', (_name, context) => {
    const { app, outdir } = synthMeetingRelay({ context });
    const used = suppressed(validationReport(outdir)).map((violation) => `${violation.acknowledgedId} on ${violation.acknowledgedAt}`);

    expect([...new Set(acknowledgementsInTree(app))].sort()).toEqual([...new Set(used)].sort());
  });
});
