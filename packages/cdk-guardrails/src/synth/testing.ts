/**
 * A synthesized template made comparable across machines for snapshot tests.
 * CDK's version-reporting resource encodes the Node.js runtime, so it differs
 * between Node versions; the rest of the template must not.
 */
export function withoutRuntimeAnalytics(template: any) {
  const copy = structuredClone(template);
  if (copy.Resources?.CDKMetadata?.Properties?.Analytics) {
    copy.Resources.CDKMetadata.Properties.Analytics = '<runtime analytics>';
  }
  return copy;
}
