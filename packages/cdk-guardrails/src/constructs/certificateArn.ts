// In a module of its own (no aws-cdk-lib) so that the manifest schema, which
// `@stackyard/cdk-guardrails/manifest` loads without the CDK, checks the same.

/** An ACM certificate's ARN, e.g. `arn:aws:acm:eu-west-1:123456789012:certificate/<id>`. */
export const ACM_CERTIFICATE_ARN =
  /^arn:aws(-[a-z]+)*:acm:[a-z]{2}(-[a-z]+)+-\d:\d{12}:certificate\/[A-Za-z0-9-]{1,128}$/;

/** What {@link ACM_CERTIFICATE_ARN} accepts, for error messages. */
export const ACM_CERTIFICATE_ARN_ALLOWED =
  'an ACM certificate ARN, arn:aws:acm:<region>:<account>:certificate/<id>';
