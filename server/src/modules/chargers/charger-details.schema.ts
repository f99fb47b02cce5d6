/**
 * Where and what, for drivers: a charger's site, address, coordinates, free-connector count, and
 * each plug's type and power; `updateChargerDetails` lets operators set them (audited).
 */
import { GraphQLError } from 'graphql';
import type { ConnectorType } from '../../generated/prisma/client.ts';
import { builder, withSelection } from '../../schema/builder.ts';
import { recordAudit } from '../audit/audit.ts';
import { chargerLocation, connectorTypeFromSteve } from './charger-profile.ts';
import { ConnectorTypeEnum, FREE_STATUSES } from './charger-filters.ts';
import { ChargerRef, ConnectorRef } from './chargers.schema.ts';

builder.prismaObjectFields(ConnectorRef, (t) => ({
  connectorType: t.field({
    type: ConnectorTypeEnum,
    nullable: true,
    description: 'Plug type: the operator’s choice, else SteVe’s connector type; null when neither is known.',
    select: { profile: { select: { connectorType: true, steveConnectorType: true } } },
    resolve: (c): ConnectorType | null =>
      c.profile?.connectorType ?? connectorTypeFromSteve(c.profile?.steveConnectorType),
  }),
  ratedPowerKw: t.float({
    nullable: true,
    description: 'Rated power in kW as drivers see it: the operator’s value, else SteVe’s (`maxPowerKw`).',
    select: { maxPowerKw: true, profile: { select: { maxPowerKw: true } } },
    resolve: (c) => c.profile?.maxPowerKw ?? c.maxPowerKw,
  }),
  isFree: t.boolean({
    description: 'True when the connector is Available: a car can plug in now.',
    select: { status: true },
    resolve: (c) => (FREE_STATUSES as readonly string[]).includes(c.status),
  }),
}));

const ChargerSiteRef = builder.objectRef<{
  siteName: string | null;
  address: string | null;
  latitude: number | null;
  longitude: number | null;
}>('ChargerSite');
ChargerSiteRef.implement({
  description: 'Where a charger is: the operator’s site and address, else SteVe’s address and coordinates.',
  authScopes: { signedIn: true },
  fields: (t) => ({
    name: t.exposeString('siteName', { nullable: true, description: 'Site name, e.g. “Harbour car park”.' }),
    address: t.exposeString('address', { nullable: true, description: 'Postal address as one line.' }),
    latitude: t.exposeFloat('latitude', { nullable: true, description: 'WGS 84 latitude in degrees.' }),
    longitude: t.exposeFloat('longitude', { nullable: true, description: 'WGS 84 longitude in degrees.' }),
  }),
});

builder.prismaObjectFields(ChargerRef, (t) => ({
  site: t.field({
    type: ChargerSiteRef,
    description: 'Site, address and coordinates; every part may be null when nobody entered it.',
    select: { profile: true },
    resolve: (c) => chargerLocation(c.profile),
  }),
  connectorCount: t.int({
    description: 'How many connectors the charger has.',
    select: { _count: { select: { connectors: true } } },
    resolve: (c) => c._count.connectors,
  }),
  freeConnectorCount: t.int({
    description: 'How many of its connectors are Available right now (“2 of 3 free”).',
    select: { _count: { select: { connectors: { where: { status: { in: [...FREE_STATUSES] } } } } } },
    resolve: (c) => c._count.connectors,
  }),
  displayNameOverride: t.string({
    nullable: true,
    description:
      'The display name an operator set in Polaris (null: `name` comes from SteVe). Operators only.',
    authScopes: { admin: true, apiKey: true },
    select: { profile: { select: { displayName: true } } },
    resolve: (c) => c.profile?.displayName ?? null,
  }),
}));

const ConnectorDetailsInput = builder.inputType('ConnectorDetailsInput', {
  description: 'What an operator sets for one connector; a null field goes back to SteVe’s value.',
  fields: (t) => ({
    connectorNumber: t.int({ required: true, description: 'OCPP connector id (1, 2, …).' }),
    connectorType: t.field({ type: ConnectorTypeEnum, required: false, description: 'Plug type.' }),
    maxPowerKw: t.float({ required: false, description: 'Rated power in kW (0 < kW ≤ 1000).' }),
  }),
});

const ChargerDetailsInput = builder.inputType('ChargerDetailsInput', {
  description: 'What an operator sets for a charger. Omitted fields stay; null clears the override.',
  fields: (t) => ({
    displayName: t.string({
      required: false,
      description: 'Name drivers see, instead of SteVe’s description.',
    }),
    siteName: t.string({ required: false, description: 'Site name.' }),
    address: t.string({ required: false, description: 'Postal address, one line; null: SteVe’s.' }),
    latitude: t.float({ required: false, description: 'Latitude (−90…90); set with longitude.' }),
    longitude: t.float({ required: false, description: 'Longitude (−180…180); set with latitude.' }),
    connectors: t.field({
      type: [ConnectorDetailsInput],
      required: false,
      description: 'Per-connector type and power.',
    }),
  }),
});

function invalid(message: string, field: string): GraphQLError {
  return new GraphQLError(message, { extensions: { code: 'BAD_USER_INPUT', field } });
}

/** Trimmed text, null for blank; undefined stays undefined (field omitted). */
function text(v: string | null | undefined, max: number, field: string): string | null | undefined {
  if (v === undefined) return undefined;
  const t = v?.trim() ?? '';
  if (t.length > max) throw invalid(`${field} is longer than ${max} characters.`, field);
  return t === '' ? null : t;
}

builder.mutationField('updateChargerDetails', (t) =>
  t.prismaField({
    type: ChargerRef,
    description:
      'Sets a charger’s display name, site, address, coordinates and per-connector type/power in Polaris. These override SteVe’s values and are never overwritten by the sync. Audited.',
    authScopes: { admin: true },
    args: {
      chargerId: t.arg.globalID({ required: true, description: 'The Charger.' }),
      input: t.arg({ type: ChargerDetailsInput, required: true, description: 'What to set.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const chargerId = args.chargerId.typename === 'Charger' ? args.chargerId.id : null;
      const charger = chargerId
        ? await ctx.services.db.charger.findUnique({
            where: { id: chargerId },
            include: { profile: true, connectors: { include: { profile: true } } },
          })
        : null;
      if (!charger) throw new GraphQLError('No charger has this id.', { extensions: { code: 'NOT_FOUND' } });
      const input = args.input;
      const lat = input.latitude;
      const lon = input.longitude;
      if ((lat === undefined) !== (lon === undefined) || (lat === null) !== (lon === null))
        throw invalid('Set latitude and longitude together.', 'latitude');
      if (lat != null && (lat < -90 || lat > 90))
        throw invalid('Latitude must be between −90 and 90.', 'latitude');
      if (lon != null && (lon < -180 || lon > 180))
        throw invalid('Longitude must be between −180 and 180.', 'longitude');
      const profileData = {
        displayName: text(input.displayName, 120, 'displayName'),
        siteName: text(input.siteName, 120, 'siteName'),
        address: text(input.address, 300, 'address'),
        latitude: lat,
        longitude: lon,
        updatedById: ctx.viewer?.kind === 'user' ? ctx.viewer.userId : null,
      };
      const connectorUpdates = (input.connectors ?? []).map((c) => {
        const row = charger.connectors.find((r) => r.connectorId === c.connectorNumber);
        if (!row) throw invalid(`The charger has no connector ${c.connectorNumber}.`, 'connectors');
        if (c.maxPowerKw != null && !(c.maxPowerKw > 0 && c.maxPowerKw <= 1000))
          throw invalid('Power must be more than 0 and at most 1000 kW.', 'maxPowerKw');
        return { row, connectorType: c.connectorType, maxPowerKw: c.maxPowerKw };
      });
      await ctx.services.db.$transaction(async (tx) => {
        await tx.chargerProfile.upsert({
          where: { chargerId: charger.id },
          create: { chargerId: charger.id, ...profileData },
          update: profileData,
        });
        for (const c of connectorUpdates) {
          const data = { connectorType: c.connectorType, maxPowerKw: c.maxPowerKw };
          await tx.connectorProfile.upsert({
            where: { connectorId: c.row.id },
            create: { connectorId: c.row.id, ...data },
            update: data,
          });
        }
        await recordAudit(tx, {
          actor: ctx.viewer,
          action: 'charger.detailsUpdated',
          subjectType: 'Charger',
          subjectId: charger.chargeBoxId,
          before: {
            displayName: charger.profile?.displayName ?? null,
            siteName: charger.profile?.siteName ?? null,
            address: charger.profile?.address ?? null,
            latitude: charger.profile?.latitude ?? null,
            longitude: charger.profile?.longitude ?? null,
          },
          after: input,
        });
      });
      return ctx.services.db.charger.findUniqueOrThrow({
        ...withSelection(query),
        where: { id: charger.id },
      });
    },
  }),
);
