import { randomBytes } from 'node:crypto';
import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  el,
  formOf,
  queryError,
  queryOk,
  unimplemented,
} from './protocol';

const NS = 'https://sts.amazonaws.com/doc/2011-06-15/';
const ROLE_ARN = /^arn:aws[a-z-]*:iam::(\d{12}):role\/(.+)$/;

/**
 * STS over the query protocol: GetCallerIdentity and AssumeRole. Temporary
 * credentials it hands out are remembered, so that the identity of a caller
 * using them is the assumed role.
 */
export class LoopbackSts implements LoopbackService {
  readonly signingName = 'sts';
  /** Role ARNs assumed, in order. */
  readonly assumedRoles: string[] = [];
  private readonly sessions = new Map<
    string,
    { account: string; arn: string }
  >();

  constructor(private readonly account: string) {}

  actionOf(request: LoopbackRequest): string {
    return formOf(request).get('Action') ?? '';
  }

  error(_action: string, code: string, message: string, status = 400) {
    return queryError(NS, code, message, status);
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    const { accessKeyId } = request;
    const params = formOf(request);
    if (action === 'GetCallerIdentity') {
      const session = accessKeyId ? this.sessions.get(accessKeyId) : undefined;
      const account = session?.account ?? this.account;
      return queryOk(
        NS,
        action,
        `${el(
          'Arn',
          session?.arn ?? `arn:aws:iam::${account}:user/stackyard-test`,
        )}${el('UserId', accessKeyId ?? 'AIDALOOPBACK')}${el(
          'Account',
          account,
        )}`,
      );
    }
    if (action === 'AssumeRole') {
      const roleArn = params.get('RoleArn') ?? '';
      const role = ROLE_ARN.exec(roleArn);
      if (!role) {
        return this.error(
          action,
          'ValidationError',
          `RoleArn "${roleArn}" is not an IAM role ARN`,
        );
      }
      this.assumedRoles.push(roleArn);
      const sessionName = params.get('RoleSessionName') ?? 'session';
      const key = `ASIA${randomBytes(8).toString('hex').toUpperCase()}`;
      const arn = `arn:aws:sts::${role[1]}:assumed-role/${role[2]}/${sessionName}`;
      this.sessions.set(key, { account: role[1], arn });
      const expires = new Date(Date.now() + 3600_000).toISOString();
      return queryOk(
        NS,
        action,
        `<Credentials>${el('AccessKeyId', key)}${el(
          'SecretAccessKey',
          randomBytes(20).toString('hex'),
        )}${el('SessionToken', randomBytes(32).toString('base64'))}${el(
          'Expiration',
          expires,
        )}</Credentials><AssumedRoleUser>${el('Arn', arn)}${el(
          'AssumedRoleId',
          `AROALOOPBACK:${sessionName}`,
        )}</AssumedRoleUser>`,
      );
    }
    return unimplemented(
      this.error(
        action,
        'InvalidAction',
        `The loopback STS does not implement ${action || '(no Action)'}`,
      ),
    );
  }
}
