import { literalNumber, referencedLogicalId, show } from '../intrinsics';
import { PolicyRule, compliant, nonCompliant, notApplicable } from '../types';

/** HTTP API stages throttle every route. */
export const httpApiThrottling: PolicyRule = {
  id: 'SY-HTTPAPI-THROTTLING',
  severity: 'error',
  description:
    'API Gateway HTTP API stages set a default rate and burst limit for every route (DefaultRouteSettings)',
  evaluate(resource, context) {
    if (resource.type !== 'AWS::ApiGatewayV2::Stage') {
      return notApplicable;
    }
    // WebSocket stages are judged by their own rules; a stage of an API
    // outside the template is judged as an HTTP API.
    const apiId = referencedLogicalId(resource.properties.ApiId);
    const api = apiId !== undefined ? context.resource(apiId) : undefined;
    if (api && api.properties.ProtocolType !== 'HTTP') {
      return notApplicable;
    }
    const settings = (resource.properties.DefaultRouteSettings ?? {}) as Record<string, unknown>;
    const wrong = (['ThrottlingRateLimit', 'ThrottlingBurstLimit'] as const).filter(key => {
      const n = literalNumber(settings[key]);
      return n === undefined || n <= 0;
    });
    if (wrong.length > 0) {
      return nonCompliant(
        `DefaultRouteSettings ${wrong
          .map(key => `${key} is ${settings[key] === undefined ? 'not set' : show(settings[key])}`)
          .join(' and ')}: without limits one client can use the account's whole API Gateway quota; set both above 0`,
      );
    }
    return compliant;
  },
};
