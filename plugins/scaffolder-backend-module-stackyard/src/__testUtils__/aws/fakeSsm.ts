import { FakeRequest, FakeService, Handled, jsonResponse } from './protocol';

/** SSM over the JSON 1.1 protocol: GetParameter of string parameters. */
export class FakeSsm implements FakeService {
  readonly parameters = new Map<string, string>();

  handle(request: FakeRequest): Handled {
    const target = request.headers['x-amz-target'];
    const action =
      typeof target === 'string' ? target.split('.').pop() ?? '' : '';
    if (action !== 'GetParameter') {
      return jsonResponse(action, 400, {
        __type: 'InvalidAction',
        message: `The fake SSM does not implement ${action || '(no target)'}`,
      });
    }
    const { Name: name } = JSON.parse(request.body.toString('utf8') || '{}');
    const value = this.parameters.get(name);
    if (value === undefined) {
      return jsonResponse(action, 400, {
        __type: 'ParameterNotFound',
        message: `Parameter ${name} not found.`,
      });
    }
    return jsonResponse(action, 200, {
      Parameter: { Name: name, Type: 'String', Value: value, Version: 1 },
    });
  }
}
