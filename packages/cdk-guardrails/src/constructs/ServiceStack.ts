import { Fn, RemovalPolicy, Stack, StackProps, Tags, Token } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import {
  DEFAULT_TTL_TAG_VALUE,
  STACKYARD_TAG_KEYS,
  stackNameFor,
  validateTags,
} from '@stackyard/plugin-stackyard-common';
import {
  StageConfig,
  StageConfigOverride,
  resolveStageConfig,
} from '../stages/stageConfig';
import { STAGE_METADATA_KEY } from '../policy/templateStage';
import { setStageConfig } from './stageOf';
import { validateProps } from './validation';

/** The template a service was created from. */
export interface ServiceTemplateRef {
  /** The template's name, e.g. `hello-service`. */
  readonly name: string;
  /** The template's version, e.g. `1.2.0`. */
  readonly version: string;
}

/** Properties of a {@link ServiceStack}. */
export interface ServiceStackProps
  extends Omit<StackProps, 'stackName' | 'terminationProtection' | 'tags'> {
  /**
   * The environment's prefix (see `resolvePrefix`), e.g. `wo-42`. The stack
   * is named `<prefix>-<stage>`.
   */
  readonly prefix: string;
  /** The stage, e.g. `dev` or `prod`; selects the {@link StageConfig}. */
  readonly stage: string;
  /** The project code, written to the `Project` tag. */
  readonly project: string;
  /** The cost center, written to the `CostCenter` tag. */
  readonly costCenter: string;
  /**
   * The owning catalog entity, e.g. `component:default/mailer`, written to
   * the `stackyard:entity-ref` tag.
   */
  readonly owner: string;
  /**
   * The template the service was created from, written to the
   * `stackyard:template` tag as `<name>@<version>`.
   *
   * @default - no template tag
   */
  readonly template?: ServiceTemplateRef;
  /**
   * The team's own stages, or changes to built-in stages.
   *
   * @default - built-in stages only
   */
  readonly stageOverrides?: Readonly<Record<string, StageConfigOverride>>;
  /**
   * The git branch deployed, e.g. CI's `GITHUB_REF_NAME`, written to the
   * `stackyard:branch` tag. Validated like every tag: a branch with
   * characters AWS does not allow in tag values is refused, quoted, rather
   * than silently rewritten, so the portal never shows a branch that does
   * not exist.
   *
   * @default - no branch tag
   */
  readonly branch?: string;
  /**
   * The git commit deployed, e.g. CI's `GITHUB_SHA`, written to the
   * `stackyard:commit` tag.
   *
   * @default - no commit tag
   */
  readonly commit?: string;
  /**
   * More tags for every taggable resource.
   *
   * @default - none
   */
  readonly extraTags?: Readonly<Record<string, string>>;
}

/** Tag keys ServiceStack writes itself. */
export const SERVICE_TAG_KEYS = {
  project: 'Project',
  environment: 'Environment',
  costCenter: 'CostCenter',
  ...STACKYARD_TAG_KEYS,
} as const;

const ENTITY_REF = /^[a-z][a-z0-9-]*:[a-z0-9][a-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * A service's stack: named `<prefix>-<stage>`, with the Project,
 * Environment, CostCenter and Stackyard tags on every taggable resource,
 * termination protection in production, and the stage's config for the safe
 * constructs inside it.
 */
export class ServiceStack extends Stack {
  /** True when `x` is a ServiceStack. */
  static isServiceStack(x: unknown): x is ServiceStack {
    return x instanceof ServiceStack;
  }

  /** The stage's configuration. */
  readonly stageConfig: StageConfig;
  /** The environment's prefix. */
  readonly prefix: string;
  /** The tags written to every taggable resource. */
  readonly serviceTags: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: ServiceStackProps) {
    const stackName = stackNameFor(props.prefix, props.stage);
    const stageConfig = resolveStageConfig(props.stage, props.stageOverrides);
    super(scope, id, {
      ...props,
      stackName,
      terminationProtection: stageConfig.production,
      description:
        props.description ?? `${props.project} service ${stackName} (Stackyard)`,
    });
    this.stageConfig = stageConfig;
    this.prefix = props.prefix;
    setStageConfig(this, stageConfig);

    const tags: Record<string, string> = {
      ...props.extraTags,
      [SERVICE_TAG_KEYS.project]: props.project,
      [SERVICE_TAG_KEYS.environment]: props.stage,
      [SERVICE_TAG_KEYS.costCenter]: props.costCenter,
      [SERVICE_TAG_KEYS.entityRef]: props.owner,
      ...(props.template
        ? {
            [SERVICE_TAG_KEYS.template]: `${props.template.name}@${props.template.version}`,
          }
        : {}),
      // What the portal's discovery reads back from a stack deployed by CI.
      [SERVICE_TAG_KEYS.prefix]: props.prefix,
      [SERVICE_TAG_KEYS.stage]: props.stage,
      ...(props.branch !== undefined ? { [SERVICE_TAG_KEYS.branch]: props.branch } : {}),
      ...(props.commit !== undefined ? { [SERVICE_TAG_KEYS.commit]: props.commit } : {}),
      ...(stageConfig.ephemeral
        ? {
            [SERVICE_TAG_KEYS.ttlHours]:
              stageConfig.ttlHours !== undefined ? String(stageConfig.ttlHours) : DEFAULT_TTL_TAG_VALUE,
          }
        : {}),
    };
    validateProps(this, 'ServiceStack', [
      {
        prop: 'owner',
        value: props.owner,
        ok: ENTITY_REF.test(props.owner),
        allowed: 'a full entity ref like "component:default/mailer"',
      },
      {
        prop: 'costCenter',
        value: props.costCenter,
        ok: props.costCenter.trim().length > 0,
        allowed: 'a non-empty cost center',
      },
    ]);
    const tagProblems = validateTags(tags);
    if (tagProblems.length > 0) {
      throw new Error(
        `[${this.node.path}] invalid ServiceStack tags: ${tagProblems.join('; ')}`,
      );
    }
    this.serviceTags = tags;
    for (const [key, value] of Object.entries(tags)) {
      Tags.of(this).add(key, value);
    }
    this.templateOptions.metadata = {
      ...this.templateOptions.metadata,
      [STAGE_METADATA_KEY]: {
        stage: stageConfig.name,
        production: stageConfig.production,
        ephemeral: stageConfig.ephemeral,
        prefix: props.prefix,
      },
    };
  }

  /**
   * The removal policy for stateful resources: RETAIN, or DESTROY in
   * ephemeral preview stages.
   */
  get statefulRemovalPolicy(): RemovalPolicy {
    return this.stageConfig.ephemeral ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN;
  }

  /**
   * In a concrete account and region, the region's first six zones as
   * CloudFormation resolves them (`Fn::GetAZs`), not a context lookup:
   * synthesis runs with lookups off, so a lookup would fail every deploy of
   * a VPC. A VPC asking for more zones than the region has fails at deploy.
   */
  override get availabilityZones(): string[] {
    if (Token.isUnresolved(this.region)) return super.availabilityZones;
    return Array.from({ length: 6 }, (_, i) => Fn.select(i, Fn.getAzs()));
  }
}
