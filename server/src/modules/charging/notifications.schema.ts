/**
 * `driverNotifications`: what a driver is told without looking — their session ended, the charger
 * stopped it, their reservation expires in 5 minutes. The dashboard shows each as a toast and, when
 * the driver allowed it, as a browser notification. ("The charger you watch is free" comes from
 * `chargerStateChanged` on the client, which knows which charger the driver watches.)
 */
import { builder } from '../../schema/builder.ts';
import type { Services } from '../../types.ts';
import { viewerUserId } from '../sessions/sessions.schema.ts';
import { openReservationOf } from './reservation-lookup.ts';

/** How long before a reservation expires the driver is warned. */
export const RESERVATION_WARNING_MS = 5 * 60_000;
/** Stop reasons of a session the driver (or the app on their behalf) ended. */
const DRIVER_STOPS = new Set(['Local', 'Remote']);

export type DriverNotificationKind = 'SESSION_ENDED' | 'STOPPED_BY_CHARGER' | 'RESERVATION_EXPIRING';

export interface DriverNotification {
  id: string;
  kind: DriverNotificationKind;
  message: string;
  chargerName: string;
  at: Date;
}

const KindEnum = builder.enumType('DriverNotificationKind', {
  description: 'What a notification is about.',
  values: {
    SESSION_ENDED: { description: 'The driver’s session ended.' },
    STOPPED_BY_CHARGER: { description: 'The charger (or the car) stopped the session.' },
    RESERVATION_EXPIRING: { description: 'The driver’s reservation expires in 5 minutes.' },
  } as const,
});

const DriverNotificationRef = builder.objectRef<DriverNotification>('DriverNotification').implement({
  description: 'Something the driver should know now.',
  fields: (t) => ({
    id: t.exposeID('id', { description: 'Stable per event (a tab shows each once).' }),
    kind: t.field({ type: KindEnum, description: 'What it is about.', resolve: (n) => n.kind }),
    message: t.exposeString('message', { description: 'For people; shown verbatim.' }),
    chargerName: t.exposeString('chargerName', { description: 'The charger it is about.' }),
    at: t.expose('at', { type: 'DateTime', description: 'When it happened.' }),
  }),
});

/** A push-based async iterator: producers `push`, the consumer awaits `next`. */
function channel<T>() {
  const items: T[] = [];
  let wake: (() => void) | null = null;
  return {
    push(item: T) {
      items.push(item);
      wake?.();
    },
    /** Lets a waiting `drain` see that it stopped. */
    close() {
      wake?.();
    },
    async *drain(stopped: () => boolean): AsyncGenerator<T> {
      while (!stopped()) {
        if (items.length === 0) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
        while (items.length > 0) yield items.shift()!;
      }
    },
  };
}

async function sessionNotification(
  services: Services,
  userId: string,
  sessionId: string,
): Promise<DriverNotification | null> {
  const s = await services.db.chargingSession.findFirst({
    where: { id: sessionId, driverId: userId, status: 'COMPLETED' },
    select: {
      id: true,
      stopReason: true,
      stoppedAt: true,
      energyKwh: true,
      charger: {
        select: { description: true, chargeBoxId: true, profile: { select: { displayName: true } } },
      },
    },
  });
  if (!s) return null;
  const chargerName =
    s.charger.profile?.displayName ?? (s.charger.description?.trim() || s.charger.chargeBoxId);
  const byDriver = s.stopReason === null || DRIVER_STOPS.has(s.stopReason);
  const kwh = new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(s.energyKwh);
  return {
    id: `session:${s.id}`,
    kind: byDriver ? 'SESSION_ENDED' : 'STOPPED_BY_CHARGER',
    message: byDriver
      ? `Your session at ${chargerName} ended: ${kwh} kWh.`
      : `Charging at ${chargerName} was stopped by the charger (${s.stopReason}) after ${kwh} kWh.`,
    chargerName,
    at: s.stoppedAt ?? services.sync.engine.now(),
  };
}

builder.subscriptionField('driverNotifications', (t) =>
  t.field({
    type: DriverNotificationRef,
    description:
      'The viewer’s notifications as they happen: session ended, stopped by the charger, reservation expires in 5 minutes.',
    authScopes: { driver: true },
    subscribe: (_root, _args, ctx) => {
      const userId = viewerUserId(ctx);
      const services = ctx.services;
      const out = channel<DriverNotification>();
      let stopped = false;
      const sent = new Set<string>();
      const emit = (n: DriverNotification | null) => {
        if (!n || sent.has(n.id)) return;
        sent.add(n.id);
        out.push(n);
      };

      let timer: ReturnType<typeof setTimeout> | undefined;
      const armReservationWarning = async () => {
        clearTimeout(timer);
        const now = services.sync.engine.now();
        const r = await openReservationOf(services.db, userId, now, { status: 'ACCEPTED' });
        if (!r || stopped) return;
        const charger = await services.db.charger.findUnique({
          where: { id: r.chargerId },
          select: { description: true, chargeBoxId: true, profile: { select: { displayName: true } } },
        });
        const chargerName =
          charger?.profile?.displayName ??
          (charger?.description?.trim() || charger?.chargeBoxId || 'the charger');
        const warnIn = r.expiresAt.getTime() - RESERVATION_WARNING_MS - now.getTime();
        const warn = () =>
          emit({
            id: `reservation:${r.id}:expiring`,
            kind: 'RESERVATION_EXPIRING',
            message: `Your reservation at ${chargerName} expires in 5 minutes.`,
            chargerName,
            at: services.sync.engine.now(),
          });
        if (warnIn <= 0) warn();
        else timer = setTimeout(warn, warnIn);
      };

      const sessions = services.pubsub.subscribe('driver:session', userId)[Symbol.asyncIterator]();
      const reservations = services.pubsub.subscribe('driver:reservation', userId)[Symbol.asyncIterator]();
      const pump = async (source: AsyncIterator<unknown>, handle: (event: unknown) => Promise<void>) => {
        for (;;) {
          const next = await source.next();
          if (next.done || stopped) break;
          await handle(next.value).catch((error: unknown) =>
            services.logger.warn({ err: (error as Error).message }, 'driver notification failed'),
          );
        }
      };
      void pump(sessions, async (event) =>
        emit(await sessionNotification(services, userId, (event as { sessionId: string }).sessionId)),
      );
      void pump(reservations, () => armReservationWarning());
      void armReservationWarning().catch(() => undefined);

      const drained = out.drain(() => stopped);
      return {
        [Symbol.asyncIterator]() {
          return this;
        },
        next: () => drained.next(),
        async return() {
          stopped = true;
          clearTimeout(timer);
          out.close();
          await Promise.all([sessions.return?.(), reservations.return?.()]);
          await drained.return(undefined);
          return { done: true as const, value: undefined };
        },
      } as AsyncIterableIterator<DriverNotification>;
    },
    resolve: (n) => n,
  }),
);
