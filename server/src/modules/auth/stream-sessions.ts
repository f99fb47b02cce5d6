import { GraphQLError } from 'graphql';
import type { ExecutionResult } from 'graphql';
import type { Plugin } from 'graphql-yoga';
import type { Context } from '../../types.ts';
import type { SocketSessionWatch } from './socket-sessions.ts';

function isAsyncIterable(value: unknown): value is AsyncIterable<ExecutionResult> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

/** What a subscriber reads last when its session or API key ended while the stream was open. */
export function sessionEndedError(): GraphQLError {
  return new GraphQLError('Your session has ended. Sign in again to keep receiving updates.', {
    extensions: { code: 'UNAUTHENTICATED' },
  });
}

/**
 * A stream the session watch can end: `end()` delivers one last `UNAUTHENTICATED` error, then
 * completes and releases the source subscription.
 */
function endable(source: AsyncIterable<ExecutionResult>, onFinish: () => void) {
  const iterator = source[Symbol.asyncIterator]();
  let finished = false;
  let pendingError = false;
  let wake: (() => void) | null = null;
  const ended = new Promise<void>((resolve) => {
    wake = resolve;
  });
  const finish = async (): Promise<IteratorResult<ExecutionResult>> => {
    if (!finished) {
      finished = true;
      onFinish();
      await iterator.return?.();
    }
    return { done: true, value: undefined };
  };
  const stream: AsyncIterableIterator<ExecutionResult> = {
    async next() {
      if (pendingError) {
        pendingError = false;
        return { done: false, value: { errors: [sessionEndedError()] } };
      }
      if (finished) return { done: true, value: undefined };
      const result = await Promise.race([iterator.next(), ended.then(() => null)]);
      if (result === null) {
        await finish();
        return { done: false, value: { errors: [sessionEndedError()] } };
      }
      if (result.done) await finish();
      return result;
    },
    return: finish,
    async throw(error: unknown) {
      await finish();
      throw error;
    },
    [Symbol.asyncIterator]() {
      return this;
    },
  };
  return {
    stream,
    end() {
      if (finished) return;
      wake?.();
    },
  };
}

/**
 * Subscriptions over SSE (and, harmlessly, graphql-ws too) are re-checked by the same watch as
 * WebSockets: every `WS_SESSION_RECHECK_MS` the viewer's session or API key must still be live,
 * otherwise the stream sends one `UNAUTHENTICATED` error and ends. Sign-out, session deletion,
 * expiry and key revocation therefore end open SSE streams within one interval.
 */
export function useStreamSessionRecheck(watch: SocketSessionWatch): Plugin<Context> {
  return {
    onSubscribe({ args }) {
      const viewer = (args.contextValue as Partial<Context>).viewer;
      if (!viewer) return;
      return {
        onSubscribeResult({ result, setResult }) {
          if (!isAsyncIterable(result)) return;
          const handle = { close: () => wrapped.end() };
          const wrapped = endable(result, () => watch.untrack(handle));
          watch.track(handle, viewer);
          setResult(wrapped.stream);
        },
      };
    },
  };
}
