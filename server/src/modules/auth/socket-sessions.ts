import type { Viewer } from '../../types.ts';
import type { Db } from '../../lib/db.ts';
import type { Logger } from '../../lib/logger.ts';

/** graphql-ws close code for a connection whose credentials are no longer valid (the protocol's Forbidden). */
export const CLOSE_FORBIDDEN = 4403;

/** The part of a WebSocket the watch needs (ws' WebSocket satisfies it). */
export interface ClosableSocket {
  close(code?: number, reason?: string): void;
  /** ws' readyState (2 closing, 3 closed); SSE handles have none. */
  readonly readyState?: number;
}

/** ws' CLOSING and CLOSED states. */
const GONE = 2;

function gone(socket: ClosableSocket): boolean {
  return socket.readyState !== undefined && socket.readyState >= GONE;
}

/**
 * Keeps long-lived graphql-ws connections honest: every `intervalMs` it checks, in two queries for
 * all sockets together, that each socket's session (or API key) still exists, has not expired and
 * was not revoked, and closes the socket with 4403 otherwise. Sign-out, a password reset, session
 * deletion and key revocation therefore end open subscriptions within one interval.
 */
export class SocketSessionWatch {
  private readonly sockets = new Map<ClosableSocket, Viewer>();
  private timer: NodeJS.Timeout | null = null;
  private sweeping: Promise<number> | null = null;

  constructor(private readonly deps: { db: Db; logger: Logger; intervalMs: number; now?: () => Date }) {}

  get size(): number {
    return this.sockets.size;
  }

  /**
   * A socket that closed while its credentials were being checked (the client hung up mid-connect)
   * is not tracked: its close, and with it `untrack`, already happened, so it would stay forever.
   */
  track(socket: ClosableSocket, viewer: Viewer): void {
    if (gone(socket)) return;
    this.sockets.set(socket, viewer);
  }

  untrack(socket: ClosableSocket): void {
    this.sockets.delete(socket);
  }

  start(): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.sweep(), this.deps.intervalMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.sockets.clear();
  }

  /** Checks every tracked socket once; returns how many were closed. A database outage closes nothing. */
  sweep(): Promise<number> {
    this.sweeping ??= this.check().finally(() => {
      this.sweeping = null;
    });
    return this.sweeping;
  }

  private async check(): Promise<number> {
    // Sockets closed without an untrack (none expected) do not wait for their session to end.
    for (const socket of this.sockets.keys()) if (gone(socket)) this.sockets.delete(socket);
    if (this.sockets.size === 0) return 0;
    const entries = [...this.sockets];
    const sessionIds = new Set<string>();
    const keyIds = new Set<string>();
    for (const [, viewer] of entries) {
      const keyId = viewerKeyId(viewer);
      if (keyId) keyIds.add(keyId);
      else if (viewer.kind === 'user') sessionIds.add(viewer.sessionId);
    }
    const now = this.deps.now?.() ?? new Date();
    let liveSessions: Set<string>;
    let liveKeys: Set<string>;
    try {
      const [sessions, keys] = await Promise.all([
        sessionIds.size
          ? this.deps.db.session.findMany({
              where: { id: { in: [...sessionIds] }, expiresAt: { gt: now } },
              select: { id: true },
            })
          : [],
        keyIds.size
          ? this.deps.db.apikey.findMany({
              where: {
                id: { in: [...keyIds] },
                AND: [
                  { OR: [{ enabled: null }, { enabled: true }] },
                  { OR: [{ expiresAt: null }, { expiresAt: { gt: now } }] },
                ],
              },
              select: { id: true },
            })
          : [],
      ]);
      liveSessions = new Set(sessions.map((s) => s.id));
      liveKeys = new Set(keys.map((k) => k.id));
    } catch (error) {
      // Not knowing is not a reason to cut everybody off; the next sweep decides.
      this.deps.logger.warn({ err: error }, 'could not re-check WebSocket sessions');
      return 0;
    }
    let closed = 0;
    for (const [socket, viewer] of entries) {
      const keyId = viewerKeyId(viewer);
      const live = keyId ? liveKeys.has(keyId) : viewer.kind === 'user' && liveSessions.has(viewer.sessionId);
      if (live || !this.sockets.has(socket)) continue;
      this.sockets.delete(socket);
      closed += 1;
      socket.close(CLOSE_FORBIDDEN, 'Forbidden');
    }
    if (closed) this.deps.logger.info({ closed }, 'closed WebSocket connections whose session ended');
    return closed;
  }
}

/** The API key a socket was opened with (an operator's key, or a driver's own), or null for a session. */
function viewerKeyId(viewer: Viewer): string | null {
  return viewer.kind === 'apiKey' ? viewer.keyId : (viewer.apiKey?.keyId ?? null);
}
