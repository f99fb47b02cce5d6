import type http from 'node:http';

/**
 * Refuses a request body we would not read anyway, before anyone buffers it: 413 when the declared
 * Content-Length is above `maxBytes`, 411 for a body sent without a length (chunked), which our
 * clients never do and which could otherwise not be bounded before it is parsed.
 * Returns true when it answered the request.
 */
export function refuseOversizeBody(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  maxBytes: number,
): boolean {
  const length = req.headers['content-length'];
  if (length !== undefined) {
    if (Number(length) <= maxBytes) return false;
    return refuse(req, res, 413, `Request body larger than ${maxBytes} bytes`);
  }
  if (req.headers['transfer-encoding'] === undefined) return false;
  return refuse(req, res, 411, 'Content-Length required');
}

function refuse(req: http.IncomingMessage, res: http.ServerResponse, status: number, message: string): true {
  res.statusCode = status;
  res.setHeader('content-type', 'application/json; charset=utf-8');
  // Ask the client to stop sending instead of draining a body we will not read.
  res.setHeader('connection', 'close');
  res.end(JSON.stringify({ errors: [{ message }] }));
  req.resume();
  return true;
}
