import {
  LoopbackRequest,
  LoopbackResponse,
  LoopbackService,
  jsonOf,
  jsonResponse,
  targetAction,
  unimplemented,
} from './protocol';

/** SSM over the AWS JSON 1.1 protocol: GetParameter of string parameters. */
export class LoopbackSsm implements LoopbackService {
  readonly signingName = 'ssm';
  readonly parameters = new Map<string, string>();

  actionOf(request: LoopbackRequest): string {
    return targetAction(request);
  }

  error(_action: string, code: string, message: string, status = 400) {
    return jsonResponse('1.1', status, { __type: code, message });
  }

  handle(request: LoopbackRequest, action: string): LoopbackResponse {
    if (action !== 'GetParameter') {
      return unimplemented(
        this.error(
          action,
          'InvalidAction',
          `The loopback SSM does not implement ${action || '(no target)'}`,
        ),
      );
    }
    const { Name: name } = jsonOf(request);
    const value = this.parameters.get(name);
    if (value === undefined) {
      return this.error(
        action,
        'ParameterNotFound',
        `Parameter ${name} not found.`,
      );
    }
    return jsonResponse('1.1', 200, {
      Parameter: { Name: name, Type: 'String', Value: value, Version: 1 },
    });
  }
}
