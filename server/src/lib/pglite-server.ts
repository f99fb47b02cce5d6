import type { PGlite } from '@electric-sql/pglite';
import { PGLiteSocketServer } from '@electric-sql/pglite-socket';

/**
 * pglite-socket 0.2.x queues every protocol message on its own, so the extended-protocol sequence
 * of one connection (Parse, Bind, Describe, Execute … Sync) can interleave with another's on
 * PGlite's single backend, corrupting both ("bind message supplies 4 parameters, but prepared
 * statement "" requires 1"). It only keeps a connection exclusive inside a transaction.
 *
 * We keep a connection exclusive from its first message until it finishes a sequence — a Sync or a
 * simple Query — outside a transaction. Replace this with the library's own behaviour once it
 * serialises whole sequences; the pg-boss scheduler tests on PGlite (pg-boss and Prisma side by side)
 * fail within a few runs without it.
 */
interface QueuedMessage {
  handlerId: number;
  message: Uint8Array;
  timestamp: number;
  resolve: (bytes: number) => void;
  reject: (error: unknown) => void;
  onData: (data: Uint8Array) => void;
}

interface QueueInternals {
  queue: QueuedMessage[];
  processing: boolean;
  db: PGlite;
  lastHandlerId: number | null;
  processQueue(): Promise<void>;
  clearQueueForHandler(handlerId: number): void;
  clearTransactionIfNeeded(handlerId: number): Promise<void>;
}

// Frontend message types after which a connection has nothing left in flight.
const SEQUENCE_END = new Set(['S', 'Q', 'X']);

export async function startPGliteServer(db: PGlite, socketPath: string): Promise<PGLiteSocketServer> {
  const server = new PGLiteSocketServer({ db, path: socketPath, maxConnections: 64 });
  const queue = (server as unknown as { queryQueue: QueueInternals }).queryQueue;
  if (!queue || typeof queue.processQueue !== 'function' || !Array.isArray(queue.queue)) {
    throw new Error('pglite-socket internals changed: review server/src/lib/pglite-server.ts');
  }
  let owner: number | null = null;

  queue.processQueue = async function processQueue(this: QueueInternals) {
    if (this.processing) return;
    this.processing = true;
    try {
      while (this.queue.length > 0) {
        const index = owner === null ? 0 : this.queue.findIndex((m) => m.handlerId === owner);
        if (index === -1) break; // the owning connection has not sent its next message yet
        const [item] = this.queue.splice(index, 1);
        if (!item) break;
        let bytes = 0;
        try {
          await this.db.runExclusive(() =>
            this.db.execProtocolRawStream(item.message, {
              onRawData: (data: Uint8Array) => {
                bytes += data.length;
                item.onData(data);
              },
            }),
          );
        } catch (error) {
          owner = null;
          item.reject(error);
          continue;
        }
        // A startup message has no type byte (its first byte is the length's high byte, 0).
        const type = item.message[0] === 0 ? 'startup' : String.fromCharCode(item.message[0] ?? 0);
        const finished = type === 'startup' || SEQUENCE_END.has(type);
        owner = finished && !this.db.isInTransaction() ? null : item.handlerId;
        this.lastHandlerId = item.handlerId;
        item.resolve(bytes);
      }
    } finally {
      this.processing = false;
    }
  };

  const clearQueue = queue.clearQueueForHandler.bind(queue);
  queue.clearQueueForHandler = (handlerId: number) => {
    clearQueue(handlerId);
    if (owner === handlerId) {
      owner = null;
      // A connection that vanished mid-sequence may leave a transaction open: roll it back.
      void (async () => {
        if (db.isInTransaction()) await db.exec('ROLLBACK').catch(() => undefined);
        await queue.processQueue();
      })();
    }
  };

  await server.start();
  return server;
}
