import { App, Aws, Stack, Token, Tokenization } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { withTokenScope } from './tokenScope';

const tokenMap = () =>
  (globalThis as any).__cdkTokenMap as { stringTokenMap: Map<string, unknown>; numberTokenMap: Map<number, unknown> };
const size = () => tokenMap().stringTokenMap.size + tokenMap().numberTokenMap.size;

/** Builds and synthesizes a stack with a queue; returns its encoded ARN and URL. */
function synthQueue() {
  const app = new App({ stackTraces: false });
  const stack = new Stack(app, 'S');
  const queue = new sqs.Queue(stack, 'Q');
  const encoded = { arn: queue.queueArn, number: Token.asNumber(queue.queueArn) };
  app.synth();
  return encoded;
}

describe('withTokenScope', () => {
  // Loads every module the scopes below use, as a first synthesis would.
  beforeAll(() => synthQueue());

  it("drops the tokens the scope registered from aws-cdk-lib's global map", () => {
    const before = size();
    const { value, report } = withTokenScope(synthQueue);
    expect(report.released).toBe(true);
    expect(report.registered).toBeGreaterThan(5);
    expect(size()).toBe(before);
    expect(() => Tokenization.reverseString(value.arn).firstToken).toThrow(/Unrecognized token key/);
  });

  it('drops them when the scope throws, and passes the error on', () => {
    const before = size();
    expect(() =>
      withTokenScope(() => {
        synthQueue();
        throw new Error('build failed');
      }),
    ).toThrow('build failed');
    expect(size()).toBe(before);
  });

  it('keeps tokens encoded before the scope, such as pseudo parameters', () => {
    withTokenScope(synthQueue);
    const stack = new Stack(new App(), 'Later');
    expect(stack.resolve(Aws.REGION)).toEqual({ Ref: 'AWS::Region' });
  });

  it('keeps everything when a module loads inside the scope, since it may encode tokens at load time', () => {
    const before = size();
    const { value, report } = withTokenScope(() => {
      synthQueue();
      return require('./__fixtures__/moduleToken').MODULE_TOKEN as string;
    });
    expect(report.released).toBe(false);
    expect(size()).toBeGreaterThan(before);
    withTokenScope(synthQueue);
    expect(new Stack(new App(), 'Later').resolve(value)).toBe('from-module');
  });
});
