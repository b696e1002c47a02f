import { RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Secret, type ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { Construct } from 'constructs';
import { APP_ID_CREDENTIALS_TYPE, AppIdCredentialsSchema } from '../../functions/shared/auth/credentials.js';

/** Value of appId in the placeholder: a login with it fails until an operator puts the real credentials. */
export const PLACEHOLDER_APP_ID = 'REPLACE_ME';

export const SP_CREDENTIALS_SECRET_DESCRIPTION =
  'meeting-relay: SP administrator credentials used by the expiry sweeper. Created with a placeholder; replace it with ' +
  `aws secretsmanager put-secret-value --secret-id <this ARN> --secret-string '{"type":"appId","appId":"...","appKey":"..."}' ` +
  `(or '{"type":"account","account":"...","password":"..."}'). See docs/deploy.md.`;

/**
 * The SP credentials secret: imported by its complete ARN when one is configured, otherwise created holding a
 * placeholder of the App ID shape. The placeholder's appKey is generated, so no value, real or fake, is written
 * into the template. Grants are the sweeper's business (RelayFunction.bindSecret); nothing else reads it.
 *
 * A created secret is kept when the stack is deleted: it holds credentials an operator entered by hand, and a
 * new deployment can import it again by ARN.
 */
export function spCredentialsSecret(scope: Construct, id: string, existingSecretArn: string | undefined): ISecret {
  if (existingSecretArn !== undefined) return Secret.fromSecretCompleteArn(scope, id, existingSecretArn);

  const placeholder = { type: APP_ID_CREDENTIALS_TYPE, appId: PLACEHOLDER_APP_ID };
  const secret = new Secret(scope, id, {
    description: SP_CREDENTIALS_SECRET_DESCRIPTION,
    removalPolicy: RemovalPolicy.RETAIN,
    generateSecretString: {
      secretStringTemplate: JSON.stringify(placeholder),
      generateStringKey: 'appKey' satisfies keyof typeof AppIdCredentialsSchema.shape,
      excludePunctuation: true,
      passwordLength: 32,
    },
  });
  Validations.of(secret).acknowledge({
    id: 'AwsSolutions::AwsSolutions-SMG4',
    reason:
      'Rotation is manual: the value is an App ID key or account password issued by Huawei, which Secrets Manager cannot rotate; the operator replaces it with put-secret-value (docs/deploy.md) and the sweeper reads the new value within 5 minutes.',
  });
  return secret;
}
