import { Kind, type DocumentNode, type ExecutionResult, type OperationDefinitionNode } from 'graphql';
// graphql-yoga re-exports @graphql-yoga/subscription's Repeater (a push/stop async iterator).
import { Repeater } from 'graphql-yoga';
import type { Viewer } from '../types.ts';

/**
 * One execution for identical graphql-ws subscriptions.
 *
 * Without this, graphql-yoga runs every subscription on its own: for each event and each subscriber
 * it executes that subscriber's document (resolvers, auth scopes, result building). Here the first
 * subscriber of a key starts the real subscription; later subscribers with the same key join it and
 * receive the very same results, and the source stops when the last one leaves.
 *
 * The key is everything a result depends on: the document text, the operation name, the variables
 * and the viewer's identity (user or API key, role, account status, impersonator). Two sessions of
 * the same person share; two people never do, whatever their roles. Only root fields listed as
 * shareable take part: those whose stream is the same for every subscriber of a key from the moment
 * they join — fields that first yield a per-subscriber current value (e.g. `activeSession`) must
 * not be listed, or a late joiner would miss it.
 *
 * Errors stay where they belong: an event whose execution fails is an error result for that event
 * (shared by the identical subscribers, as each would have got it), and one subscriber leaving or
 * being cut off never stops the others.
 */
export class SubscriptionSharing {
  readonly #fields: ReadonlySet<string>;
  readonly #groups = new Map<string, Group>();

  constructor(shareableFields: Iterable<string>) {
    this.#fields = new Set(shareableFields);
  }

  /** Live shared sources (tests and diagnostics). */
  get size(): number {
    return this.#groups.size;
  }

  /**
   * The sharing key of a subscription, or null when it must run on its own: not a subscription,
   * a root field not listed, fragments at the root, no viewer, or variables that do not serialise.
   */
  keyFor(input: {
    query: string;
    document: DocumentNode;
    operationName?: string | null | undefined;
    variables?: Record<string, unknown> | null | undefined;
    viewer: Viewer | null;
  }): string | null {
    const { document, viewer } = input;
    if (!viewer) return null;
    const operations = document.definitions.filter(
      (d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION,
    );
    const operation = input.operationName
      ? operations.find((o) => o.name?.value === input.operationName)
      : operations.length === 1
        ? operations[0]
        : undefined;
    if (!operation || operation.operation !== 'subscription') return null;
    const shareable = operation.selectionSet.selections.every(
      (s) => s.kind === Kind.FIELD && s.name.value !== '__typename' && this.#fields.has(s.name.value),
    );
    if (!shareable) return null;
    const who =
      viewer.kind === 'user'
        ? ['user', viewer.userId, viewer.role, viewer.status, viewer.impersonatorId]
        : ['apiKey', viewer.keyId, viewer.scopes.join(','), viewer.ownerId];
    try {
      return JSON.stringify([who, input.query, input.operationName ?? null, input.variables ?? {}]);
    } catch {
      return null;
    }
  }

  /**
   * Joins the subscription of `key`, starting it with `start` when nobody runs it yet. `start`
   * resolves to the subscription's results, or to one result when it was refused (auth, validation):
   * a refusal is returned as is, and not kept.
   */
  async subscribe(
    key: string,
    start: () => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>,
  ): Promise<AsyncIterable<ExecutionResult> | ExecutionResult> {
    for (;;) {
      let group = this.#groups.get(key);
      if (!group) {
        const created: Group = new Group(start, () => {
          if (this.#groups.get(key) === created) this.#groups.delete(key);
        });
        this.#groups.set(key, created);
        group = created;
      }
      const source = await group.started;
      if (!isAsyncIterable(source)) {
        group.end();
        return source;
      }
      // The last member may have left while this one waited: then start afresh.
      const member = group.join();
      if (member) return member;
    }
  }
}

/** Results a member has not taken yet; beyond this a stuck subscriber is dropped, not buffered forever. */
const MAX_QUEUED = 1024;

interface Member {
  push(value: ExecutionResult): void;
  stop(error?: unknown): void;
}

/** One running subscription and the subscribers it feeds. */
class Group {
  readonly started: Promise<AsyncIterable<ExecutionResult> | ExecutionResult>;
  readonly #members = new Set<Member>();
  #iterator: AsyncIterator<ExecutionResult> | null = null;
  #ended = false;

  constructor(
    start: () => Promise<AsyncIterable<ExecutionResult> | ExecutionResult>,
    private readonly onEnd: () => void,
  ) {
    this.started = start().then(
      (source) => {
        if (isAsyncIterable(source)) this.#pump(source);
        return source;
      },
      (error: unknown) => {
        this.end();
        throw error;
      },
    );
  }

  /**
   * A new member's own iterator over the shared results, or null once the group has ended. The
   * member counts from now on; a Repeater only starts on its first `next()`, so what arrives before
   * that waits in `early` and is handed over when it starts.
   */
  join(): AsyncIterableIterator<ExecutionResult> | null {
    if (this.#ended) return null;
    const early: ExecutionResult[] = [];
    let earlyStop: { error: unknown } | null = null;
    let live: Member | null = null;
    let waiting = 0;
    const member: Member = {
      push: (value) => {
        if (live) return live.push(value);
        if (early.length >= MAX_QUEUED) member.stop(tooSlow());
        else early.push(value);
      },
      stop: (error) => {
        if (live) return live.stop(error);
        earlyStop ??= { error };
        this.#leave(member);
      },
    };
    this.#members.add(member);
    const results = new Repeater<ExecutionResult>(async (push, stop) => {
      const send = (value: ExecutionResult) => {
        if (waiting >= MAX_QUEUED) return member.stop(tooSlow());
        waiting += 1;
        const taken = () => (waiting -= 1);
        void push(value).then(taken, (error: unknown) => {
          taken();
          stop(error);
        });
      };
      for (const value of early.splice(0)) send(value);
      if (earlyStop) return stop(earlyStop.error);
      live = {
        push: send,
        stop: (error) => {
          stop(error);
          this.#leave(member);
        },
      };
      // Ends when the subscriber returns (or the source ends): it leaves, and the last one out stops the source.
      await stop;
      this.#leave(member);
    });
    // A Repeater returned before its first next() never runs the executor above, so the member would
    // stay (graphql-ws does exactly that when the socket closed while the subscription was prepared).
    const leaveOnReturn = results.return.bind(results);
    results.return = (value?: PromiseLike<unknown> | unknown) => {
      this.#leave(member);
      return leaveOnReturn(value as never);
    };
    return results;
  }

  #leave(member: Member): void {
    if (!this.#members.delete(member)) return;
    if (this.#members.size === 0) this.end();
  }

  /** Stops the source (last member gone, source finished, failed or refused). */
  end(): void {
    if (this.#ended) return;
    this.#ended = true;
    this.onEnd();
    void this.#iterator?.return?.();
  }

  #pump(source: AsyncIterable<ExecutionResult>) {
    const iterator = source[Symbol.asyncIterator]();
    this.#iterator = iterator;
    if (this.#ended) {
      void iterator.return?.();
      return;
    }
    void (async () => {
      try {
        for (;;) {
          const next = await iterator.next();
          if (next.done) break;
          for (const member of [...this.#members]) member.push(next.value);
        }
        for (const member of [...this.#members]) member.stop();
      } catch (error) {
        for (const member of [...this.#members]) member.stop(error);
      } finally {
        this.end();
      }
    })();
  }
}

function isAsyncIterable<T>(value: unknown): value is AsyncIterable<T> {
  return typeof value === 'object' && value !== null && Symbol.asyncIterator in value;
}

function tooSlow(): Error {
  return new Error(`subscriber too slow: more than ${MAX_QUEUED} results waiting`);
}
