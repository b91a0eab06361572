import { App, Stack } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { forgetReferencesTo } from './referenceTable';

/** An app whose stack references one of its queues' attributes. */
function appWithReference() {
  const app = new App({ stackTraces: false });
  const stack = new Stack(app, 'S');
  const queue = new sqs.Queue(stack, 'Q');
  stack.resolve(queue.queueArn);
  return app;
}

describe('forgetReferencesTo', () => {
  it("drops aws-cdk-lib's cached references to one tree's constructs, and no other's", () => {
    const first = appWithReference();
    const second = appWithReference();
    expect(forgetReferencesTo(first)).toBeGreaterThan(0);
    expect(forgetReferencesTo(first)).toBe(0);
    expect(forgetReferencesTo(second)).toBeGreaterThan(0);
  });

  it('leaves a tree usable: a reference is made again when needed', () => {
    const app = appWithReference();
    forgetReferencesTo(app);
    const stack = app.node.findChild('S') as Stack;
    const queue = stack.node.findChild('Q') as sqs.Queue;
    expect(stack.resolve(queue.queueArn)).toEqual({ 'Fn::GetAtt': [stack.getLogicalId(queue.node.defaultChild as any), 'Arn'] });
  });
});
