import { InputError } from '@backstage/errors';
import { endpointProblem, parseEndpoint } from './endpoint';

describe('parseEndpoint', () => {
  it.each([
    ['localhost:4566', /must be an http: or https: URL/],
    ['not a url', /is not a URL/],
    ['ftp://127.0.0.1', /must be an http: or https: URL/],
    ['http://user:secret@127.0.0.1', /must not carry credentials/],
    ['http://127.0.0.1:4566/aws', /must not have a path/],
    ['http://127.0.0.1:4566?x=1', /must not carry credentials, a query/],
  ])('refuses endpoint %j with an InputError', (endpoint, message) => {
    expect(() => parseEndpoint(endpoint)).toThrow(InputError);
    expect(() => parseEndpoint(endpoint)).toThrow(message);
    expect(endpointProblem(endpoint)).toMatch(message);
  });

  it('accepts http and https URLs, with or without a port', () => {
    expect(parseEndpoint('http://127.0.0.1:4566').port).toBe('4566');
    expect(parseEndpoint('https://aws.example.com/').hostname).toBe(
      'aws.example.com',
    );
    expect(endpointProblem('https://aws.example.com')).toBeUndefined();
  });
});
