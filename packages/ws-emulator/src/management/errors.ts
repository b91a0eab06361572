import type { ServerResponse } from 'node:http';

/**
 * An error of the `@connections` management API. Written to HTTP as AWS
 * restJson1 errors are: the status, an `x-amzn-ErrorType` header naming the
 * error and a `{"message": ...}` body, so
 * `@aws-sdk/client-apigatewaymanagementapi` raises the exception class of
 * the same name.
 * @public
 */
export class ManagementApiError extends Error {
  constructor(
    /** The AWS error type, e.g. `GoneException`. */
    readonly errorType: string,
    /** The HTTP status. */
    readonly statusCode: number,
    message: string,
  ) {
    super(message);
    this.name = errorType;
  }
}

/**
 * The connection is closed or was never known (HTTP 410).
 * @public
 */
export class GoneException extends ManagementApiError {
  constructor(connectionId: string) {
    super('GoneException', 410, `Connection ${connectionId} is gone`);
  }
}

/**
 * The data is larger than `limits.maxMessageBytes` (HTTP 413).
 * @public
 */
export class PayloadTooLargeException extends ManagementApiError {
  constructor(size: number, limit: number) {
    super(
      'PayloadTooLargeException',
      413,
      `Payload of ${size} bytes exceeds the limit of ${limit} bytes`,
    );
  }
}

/**
 * The connection's send buffer is full: the client reads too slowly (HTTP 429).
 * @public
 */
export class LimitExceededException extends ManagementApiError {
  constructor(connectionId: string) {
    super(
      'LimitExceededException',
      429,
      `Send buffer of connection ${connectionId} is full`,
    );
  }
}

/**
 * The request is not allowed (HTTP 403).
 * @public
 */
export class ForbiddenException extends ManagementApiError {
  constructor(message = 'Forbidden') {
    super('ForbiddenException', 403, message);
  }
}

/**
 * The request is malformed (HTTP 400).
 * @public
 */
export class BadRequestException extends ManagementApiError {
  constructor(message: string) {
    super('BadRequestException', 400, message);
  }
}

/**
 * The management error to answer with: `error` itself if it is one, else an
 * InternalServerErrorException (500) that reveals nothing of the cause.
 * @public
 */
export function toManagementApiError(error: unknown): ManagementApiError {
  return error instanceof ManagementApiError
    ? error
    : new ManagementApiError(
        'InternalServerErrorException',
        500,
        'Internal server error',
      );
}

/** Writes a management API error in AWS restJson1 form. */
export function writeManagementError(
  res: ServerResponse,
  error: ManagementApiError,
  requestId: string,
): void {
  const body = JSON.stringify({ message: error.message });
  res.writeHead(error.statusCode, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'x-amzn-errortype': error.errorType,
    'x-amzn-requestid': requestId,
  });
  res.end(body);
}

/**
 * Rebuilds a management error from its `errorType` and message, e.g. after
 * it crossed a process boundary (cross-replica delivery).
 * @public
 */
export function managementErrorFromType(
  errorType: string,
  message: string,
): ManagementApiError {
  const status: Record<string, number> = {
    GoneException: 410,
    PayloadTooLargeException: 413,
    LimitExceededException: 429,
    ForbiddenException: 403,
    BadRequestException: 400,
  };
  const error = new ManagementApiError(
    errorType,
    status[errorType] ?? 500,
    message,
  );
  return error;
}
