/** The connector type enum and the driver's charger filters (search, plug type, free now). */
import type { ConnectorType, Prisma } from '../../generated/prisma/client.ts';
import { builder } from '../../schema/builder.ts';

export const ConnectorTypeEnum = builder.enumType('ConnectorType', {
  description: 'The plug a connector has, as a driver recognises it.',
  values: {
    CCS1: { value: 'CCS1', description: 'CCS Combo 1 (DC, North America).' },
    CCS2: { value: 'CCS2', description: 'CCS Combo 2 (DC, Europe).' },
    CHADEMO: { value: 'CHADEMO', description: 'CHAdeMO (DC).' },
    TYPE1: { value: 'TYPE1', description: 'Type 1 / J1772 (AC).' },
    TYPE2: { value: 'TYPE2', description: 'Type 2 / Mennekes (AC).' },
    GBT_AC: { value: 'GBT_AC', description: 'GB/T (AC).' },
    GBT_DC: { value: 'GBT_DC', description: 'GB/T (DC).' },
    NACS: { value: 'NACS', description: 'NACS / Tesla.' },
    SCHUKO: { value: 'SCHUKO', description: 'Domestic socket (Schuko).' },
    OTHER: { value: 'OTHER', description: 'Another plug type.' },
  } as const,
});

/** OCPP statuses in which a connector takes a new car right now. */
export const FREE_STATUSES = ['Available'] as const;

export interface ChargerFilterArgs {
  search?: string | null;
  connectorType?: ConnectorType | null;
  freeNow?: boolean | null;
}

/** Prisma conditions for the driver's filters; every word of `search` must match somewhere. */
export function chargerFilterWhere(args: ChargerFilterArgs): Prisma.ChargerWhereInput {
  const and: Prisma.ChargerWhereInput[] = [];
  const words = (args.search ?? '').trim().split(/\s+/).filter(Boolean).slice(0, 5);
  for (const word of words) {
    const contains = { contains: word, mode: 'insensitive' as const };
    and.push({
      OR: [
        { chargeBoxId: contains },
        { description: contains },
        { profile: { is: { displayName: contains } } },
        { profile: { is: { siteName: contains } } },
        { profile: { is: { address: contains } } },
        { profile: { is: { steveAddress: contains } } },
      ],
    });
  }
  if (args.connectorType) {
    const type = args.connectorType;
    // The operator's type wins; SteVe's free text is matched only where no operator type is set.
    and.push({
      connectors: {
        some: {
          OR: [
            { profile: { is: { connectorType: type } } },
            {
              profile: {
                is: {
                  connectorType: null,
                  steveConnectorType: { in: steveSpellings(type), mode: 'insensitive' },
                },
              },
            },
          ],
        },
      },
    });
  }
  if (args.freeNow) and.push({ connectors: { some: { status: { in: [...FREE_STATUSES] } } } });
  return and.length ? { AND: and } : {};
}

/** How SteVe admins commonly spell each type (OCPP 2.0.1 ConnectorEnumType and plain names). */
function steveSpellings(type: ConnectorType): string[] {
  switch (type) {
    case 'CCS1':
      return ['CCS1', 'CCS 1', 'cCCS1', 'Combo1'];
    case 'CCS2':
      return ['CCS2', 'CCS 2', 'cCCS2', 'Combo2'];
    case 'CHADEMO':
      return ['CHAdeMO', 'cG105'];
    case 'TYPE1':
      return ['Type1', 'Type 1', 'cType1', 'sType1', 'J1772'];
    case 'TYPE2':
      return ['Type2', 'Type 2', 'cType2', 'sType2', 'Mennekes'];
    case 'GBT_AC':
      return ['GBT-AC', 'GB/T AC', 'cGBT'];
    case 'GBT_DC':
      return ['GBT-DC', 'GB/T DC'];
    case 'NACS':
      return ['NACS', 'cTesla', 'Tesla'];
    case 'SCHUKO':
      return ['Schuko', 'sSchuko'];
    case 'OTHER':
      return ['Other'];
  }
}
