import { describe, expect, it } from 'vitest';
import { amountCents, formatDecimal, normalizeKwh, parseDecimal } from './decimal.ts';
import { errorFromResponse, errorFromTransport, retryAfterFromHeaders } from './errors.ts';

describe('retry hints', () => {
  it('reads Retry-After seconds, HTTP dates, then x-ratelimit-reset', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '12' }), now)).toBe(12_000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': 'Thu, 01 Jan 2026 00:00:30 GMT' }), now)).toBe(
      30_000,
    );
    expect(retryAfterFromHeaders(new Headers({ 'x-ratelimit-reset': '5' }), now)).toBe(5_000);
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '2', 'x-ratelimit-reset': '5' }), now)).toBe(
      2_000,
    );
    expect(retryAfterFromHeaders(new Headers(), now)).toBeUndefined();
    expect(retryAfterFromHeaders(new Headers({ 'retry-after': '999999' }), now)).toBe(600_000);
  });
});

describe('classification', () => {
  it.each([
    [429, 'rate_limited', true],
    [500, 'server_error', true],
    [503, 'server_error', true],
    [408, 'timeout', true],
    [400, 'bad_request', false],
    [401, 'unauthorized', false],
    [403, 'forbidden', false],
    [404, 'not_found', false],
    [422, 'validation', false],
    [409, 'unexpected_response', false],
  ] as const)('HTTP %i → %s (retryable %s)', (status, code, retryable) => {
    expect(errorFromResponse('op', status, { status, error: 'x' })).toMatchObject({
      code,
      retryable,
      status,
    });
  });

  it('distinguishes timeouts, network errors and caller aborts', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(errorFromTransport('op', timeout)).toMatchObject({ code: 'timeout', retryable: true });
    const refused = new TypeError('fetch failed', {
      cause: Object.assign(new Error('connect'), { code: 'ECONNREFUSED' }),
    });
    const network = errorFromTransport('op', refused);
    expect(network).toMatchObject({ code: 'network', retryable: true });
    expect(network.message).toContain('ECONNREFUSED');
    const controller = new AbortController();
    controller.abort();
    expect(errorFromTransport('op', controller.signal.reason, controller.signal)).toMatchObject({
      code: 'aborted',
      retryable: false,
    });
  });

  it('never copies raw error messages (which could hold URLs or headers) into its own', () => {
    const leaky = new Error('request to https://user:secret@lago failed, authorization: Bearer secret');
    expect(errorFromTransport('op', leaky).message).not.toContain('secret');
  });
});

describe('decimals', () => {
  it('parses, rounds and formats without float drift', () => {
    expect(formatDecimal((parseDecimal(0.1) ?? 0n) + (parseDecimal(0.2) ?? 0n))).toBe('0.3');
    expect(normalizeKwh(12.345)).toBe('12.345');
    expect(normalizeKwh('7.000')).toBe('7');
    expect(normalizeKwh(1e-7)).toBe('0');
    expect(normalizeKwh('0.0000005')).toBe('0.000001');
    expect(normalizeKwh('0.0000004')).toBe('0');
    expect(normalizeKwh(-1)).toBeNull();
    expect(normalizeKwh(Number.NaN)).toBeNull();
    expect(normalizeKwh('1e3')).toBeNull();
    expect(amountCents(parseDecimal('14.75') ?? 0n, parseDecimal('0.35') ?? 0n)).toBe(516);
  });
});
