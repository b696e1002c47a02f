import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { ContextKey } from '../../lib/config.js';
import { addMeetingRelay } from '../../lib/meeting-relay-app.js';
import type { MeetingRelayStack } from '../../lib/meeting-relay-stack.js';

/** A synthesized template as plain JSON, for the checks `Template` matchers cannot express. */
export interface TemplateJson {
  Resources: Record<string, { Type: string; Properties?: Record<string, any>; DeletionPolicy?: string; UpdateReplacePolicy?: string; DependsOn?: unknown }>;
  Outputs?: Record<string, { Value: unknown; Description?: string }>;
  [section: string]: unknown;
}

export interface SynthOptions {
  /** Configuration context; unset keys take the schema defaults (equal to cdk.json's, see config.test.ts). */
  context?: Partial<Record<ContextKey, unknown>>;
  /** Really run esbuild for every function (slow); template tests skip it. */
  bundle?: boolean;
}

export interface Synthesized {
  app: App;
  stack: MeetingRelayStack;
  template: Template;
  json: TemplateJson;
  /** The cloud assembly directory (a fresh temp dir). */
  outdir: string;
}

const outdirs: string[] = [];

/**
 * Builds the app exactly as lib/app.ts does (cdk-nag plugin included, so synth fails on a new finding), with
 * the built-in CloudFormation validator off and, unless asked, bundling skipped: about half a second.
 */
export function synthMeetingRelay(options: SynthOptions = {}): Synthesized {
  const outdir = mkdtempSync(path.join(tmpdir(), 'meeting-relay-cdk-'));
  outdirs.push(outdir);
  const app = new App({
    outdir,
    builtinCloudFormationValidation: false,
    context: {
      ...options.context,
      ...(options.bundle ? {} : { 'aws:cdk:bundling-stacks': [] }),
    },
  });
  const stack = addMeetingRelay(app);
  const template = Template.fromStack(stack);
  return { app, stack, template, json: template.toJSON() as TemplateJson, outdir };
}

/** Removes every cloud assembly this module wrote; call from afterAll. */
export function removeSynthOutputs(): void {
  for (const dir of outdirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function resourcesOfType(json: TemplateJson, type: string): Array<[string, TemplateJson['Resources'][string]]> {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}

export function onlyResourceOfType(json: TemplateJson, type: string): [string, TemplateJson['Resources'][string]] {
  const found = resourcesOfType(json, type);
  if (found.length !== 1) throw new Error(`expected exactly one ${type}, found ${found.length}`);
  return found[0]!;
}

/** Logical id of a construct's CloudFormation resource. */
export function logicalId(stack: MeetingRelayStack, construct: { node: { defaultChild?: unknown } }): string {
  const child = construct.node.defaultChild;
  if (!child) throw new Error('construct has no default child');
  return stack.getLogicalId(child as Parameters<MeetingRelayStack['getLogicalId']>[0]);
}

export interface NormalisedStatement {
  effect: string;
  actions: string[];
  resources: unknown[];
}

/** Every statement of every policy attached to a role, with actions and resources as sorted arrays. */
export function statementsOfRole(json: TemplateJson, roleLogicalId: string): NormalisedStatement[] {
  const role = json.Resources[roleLogicalId];
  if (role?.Type !== 'AWS::IAM::Role') throw new Error(`${roleLogicalId} is not a role`);
  const documents: any[] = (role.Properties?.Policies ?? []).map((policy: any) => policy.PolicyDocument);
  for (const [, policy] of resourcesOfType(json, 'AWS::IAM::Policy')) {
    const roles: any[] = policy.Properties?.Roles ?? [];
    if (roles.some((ref) => ref?.Ref === roleLogicalId)) documents.push(policy.Properties?.PolicyDocument);
  }
  return documents.flatMap((document) =>
    (document.Statement as any[]).map((statement) => ({
      effect: statement.Effect,
      actions: [statement.Action].flat().sort(),
      resources: [statement.Resource].flat(),
    })),
  );
}

/** The role logical id a function runs as. */
export function roleOfFunction(json: TemplateJson, functionLogicalId: string): string {
  const role = json.Resources[functionLogicalId]?.Properties?.Role;
  const roleId = role?.['Fn::GetAtt']?.[0];
  if (typeof roleId !== 'string') throw new Error(`${functionLogicalId} has no role reference`);
  return roleId;
}
