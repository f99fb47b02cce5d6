/**
 * A session's power/energy curve for the driver's session page: its meter samples in time order,
 * energy counted from the session's start reading. One query (the samples of one session).
 */
import { builder } from '../../schema/builder.ts';
import { ChargingSessionRef } from './sessions.schema.ts';

/** A chart needs a few hundred points; a day-long session at one sample a minute stays below this. */
export const MAX_CURVE_POINTS = 2000;

interface CurvePoint {
  at: Date;
  energyKwh: number | null;
  powerKw: number | null;
}

const CurvePointRef = builder.objectRef<CurvePoint>('SessionCurvePoint').implement({
  description: 'One meter reading of a session.',
  fields: (t) => ({
    at: t.expose('at', { type: 'DateTime', description: 'When the charger measured it.' }),
    energyKwh: t.exposeFloat('energyKwh', {
      nullable: true,
      description: 'Energy delivered since the session started, in kWh; null when this reading had none.',
    }),
    powerKw: t.exposeFloat('powerKw', {
      nullable: true,
      description: 'Charging power at that moment, in kW; null when this reading had none.',
    }),
  }),
});

builder.prismaObjectFields(ChargingSessionRef, (t) => ({
  curve: t.field({
    type: [CurvePointRef],
    description: `The session’s meter readings, oldest first (at most ${MAX_CURVE_POINTS}, the first ones).`,
    select: {
      meterStartWh: true,
      samples: {
        orderBy: { sampledAt: 'asc' },
        take: MAX_CURVE_POINTS,
        select: { sampledAt: true, energyWh: true, powerW: true },
      },
    },
    resolve: (s) =>
      s.samples.map((m) => ({
        at: m.sampledAt,
        energyKwh: m.energyWh === null ? null : Math.max(0, Math.round(m.energyWh - s.meterStartWh) / 1000),
        powerKw: m.powerW === null ? null : m.powerW / 1000,
      })),
  }),
}));
