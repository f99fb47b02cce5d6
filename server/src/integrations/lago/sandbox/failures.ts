/** Lago's error answers as the sandbox raises them: the HTTP status and Lago's JSON body. */

export interface LagoFailureBody {
  status: number;
  error: string;
  code?: string;
  error_details?: Record<string, unknown>;
}

/** A Lago error answer: the HTTP status and its JSON body. */
export class LagoApiFailure extends Error {
  override readonly name = 'LagoApiFailure';
  constructor(
    readonly status: number,
    readonly body: LagoFailureBody,
  ) {
    super(`${status} ${body.error}${body.code ? ` (${body.code})` : ''}`);
  }
}

export const notFound = (resource: string) =>
  new LagoApiFailure(404, { status: 404, error: 'Not Found', code: `${resource}_not_found` });
export const badRequest = (message: string) =>
  new LagoApiFailure(400, { status: 400, error: `BadRequest: ${message}` });
export const unprocessable = (errorDetails: Record<string, unknown>) =>
  new LagoApiFailure(422, {
    status: 422,
    error: 'Unprocessable Entity',
    code: 'validation_errors',
    error_details: errorDetails,
  });

/** An event as Lago stored it. */
