import { encodeGlobalID } from '@pothos/plugin-relay';
import type { Context } from '../../types.ts';
import type { WebhookEndpoint } from '../../generated/prisma/client.ts';
import { builder, withSelection } from '../../schema/builder.ts';
import { ErrorInterface } from '../../schema/errors.ts';
import { EVENT_TYPES, EVENT_TYPE_NAMES } from '../events/catalogue.ts';
import { EXAMPLE_PAYLOADS } from '../events/examples.ts';
import { eventBody } from './dispatcher.ts';
import {
  createEndpoint,
  deleteEndpoint,
  replayFrom,
  resendDelivery,
  rotateSecret,
  setEndpointStatus,
  updateEndpoint,
  WebhookInputError,
  WebhookNotFoundError,
  type WebhookDeps,
} from './webhooks.service.ts';

// Endpoint URLs and delivery logs are operators' data: operators and API keys read them (READ_ONLY
// keys read what an operator reads); operators and keys with the `webhooks` scope change them.
const READERS = { admin: true, apiKey: true } as const;
const WRITERS = { admin: true, keyScope: 'webhooks' } as const;

const deps = (ctx: Context): WebhookDeps => ({
  db: ctx.services.db,
  config: ctx.services.config,
  pubsub: ctx.services.pubsub,
});

builder.objectType(WebhookInputError, {
  name: 'WebhookInputError',
  interfaces: [ErrorInterface],
  description:
    'A webhook input was refused (an unreachable or private URL, an unknown event type, a grace period out of range …); `field` says which.',
  authScopes: WRITERS,
  fields: (t) => ({
    field: t.exposeString('field', { description: 'The argument at fault, e.g. `url` or `events`.' }),
  }),
});

builder.objectType(WebhookNotFoundError, {
  name: 'WebhookNotFoundError',
  interfaces: [ErrorInterface],
  description: 'No webhook endpoint (or delivery) has this id.',
  authScopes: WRITERS,
});

/** The typed errors every webhook mutation may return, besides its result. */
const WEBHOOK_ERRORS = [WebhookInputError, WebhookNotFoundError];

const WebhookEndpointStatusEnum = builder.enumType('WebhookEndpointStatus', {
  description: 'Whether an endpoint receives deliveries.',
  values: {
    ACTIVE: { value: 'ACTIVE', description: 'Deliveries go out.' },
    PAUSED: {
      value: 'PAUSED',
      description: 'Paused by an operator: events queue up and go out, in order, on resume.',
    },
    DISABLED: {
      value: 'DISABLED',
      description:
        'Disabled after failing for days (see `disabledReason`); resume it, then replay what it missed.',
    },
  } as const,
});

const WebhookDeliveryStatusEnum = builder.enumType('WebhookDeliveryStatus', {
  description: 'Where one delivery stands.',
  values: {
    PENDING: { value: 'PENDING', description: 'Waiting to be sent or retried.' },
    DELIVERED: { value: 'DELIVERED', description: 'The endpoint answered 2xx.' },
    FAILED: { value: 'FAILED', description: 'Retried for 3 days without success; resend or replay it.' },
  } as const,
});

const WebhookEventTypeRef = builder.objectRef<{ name: string; description: string }>('WebhookEventType');
WebhookEventTypeRef.implement({
  description: 'One type of the event catalogue, with an example of what a delivery carries.',
  fields: (t) => ({
    name: t.exposeString('name', { description: 'e.g. `session.completed`.' }),
    description: t.exposeString('description', { description: 'When it is emitted.' }),
    example: t.field({
      type: 'JSON',
      description: 'An example delivery body (the same JSON every endpoint receives).',
      resolve: (e) => EXAMPLE_PAYLOADS[e.name as keyof typeof EXAMPLE_PAYLOADS],
    }),
  }),
});

export const WebhookDeliveryRef = builder.prismaNode('WebhookDelivery', {
  nullable: true,
  id: { field: 'id' },
  description: 'One event sent (or to be sent) to one endpoint: the delivery log.',
  authScopes: READERS,
  runScopesOnType: true,
  fields: (t) => ({
    status: t.expose('status', { type: WebhookDeliveryStatusEnum, description: 'Where it stands.' }),
    attempts: t.exposeInt('attempts', { description: 'Attempts so far.' }),
    responseStatus: t.exposeInt('responseStatus', {
      nullable: true,
      description: 'HTTP status of the last attempt; null when no answer came.',
    }),
    latencyMs: t.exposeInt('latencyMs', { nullable: true, description: 'Duration of the last attempt.' }),
    lastError: t.exposeString('lastError', { nullable: true, description: 'Why the last attempt failed.' }),
    nextAttemptAt: t.field({
      type: 'DateTime',
      nullable: true,
      description: 'When it is tried next (null unless PENDING).',
      resolve: (d) => (d.status === 'PENDING' ? d.nextAttemptAt : null),
    }),
    lastAttemptAt: t.expose('lastAttemptAt', {
      type: 'DateTime',
      nullable: true,
      description: 'Last attempt.',
    }),
    deliveredAt: t.expose('deliveredAt', {
      type: 'DateTime',
      nullable: true,
      description: 'When it was accepted.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was queued.' }),
    eventNumber: t.string({
      description: 'The event’s number (ordered across all events; `replayWebhookEvents` starts from one).',
      resolve: (d) => d.eventId.toString(),
    }),
    event: t.field({
      type: 'JSON',
      description: 'The body sent: `{ id, number, type, version, stream, sequence, occurredAt, data }`.',
      select: { event: true },
      resolve: (d) => JSON.parse(eventBody({ ...d.event, eventNumber: d.event.id })) as unknown,
    }),
    eventType: t.string({
      description: 'The event’s type.',
      select: { event: { select: { type: true } } },
      resolve: (d) => d.event.type,
    }),
  }),
});

export const WebhookEndpointRef = builder.prismaNode('WebhookEndpoint', {
  nullable: true,
  id: { field: 'id' },
  description:
    'A partner’s HTTPS endpoint receiving signed events (Standard Webhooks). Its secret is shown once.',
  authScopes: READERS,
  runScopesOnType: true,
  fields: (t) => ({
    url: t.exposeString('url', { description: 'Where events are POSTed.' }),
    description: t.exposeString('description', { nullable: true, description: 'What it is for.' }),
    events: t.exposeStringList('events', { description: 'Event types it receives; empty: every type.' }),
    status: t.expose('status', {
      type: WebhookEndpointStatusEnum,
      description: 'Whether deliveries go out.',
    }),
    disabledReason: t.exposeString('disabledReason', { nullable: true, description: 'Why it was disabled.' }),
    failingSince: t.expose('failingSince', {
      type: 'DateTime',
      nullable: true,
      description: 'Start of the current streak of failed deliveries; null while they succeed.',
    }),
    previousSecretExpiresAt: t.expose('previousSecretExpiresAt', {
      type: 'DateTime',
      nullable: true,
      description: 'After a rotation: until when the previous secret still signs.',
    }),
    createdAt: t.expose('createdAt', { type: 'DateTime', description: 'When it was created.' }),
    pendingCount: t.int({
      description: 'Deliveries waiting to be sent or retried.',
      resolve: (e, _args, ctx) =>
        ctx.services.db.webhookDelivery.count({ where: { endpointId: e.id, status: 'PENDING' } }),
    }),
    deliveries: t.relatedConnection('deliveries', {
      cursor: 'id',
      description: 'The delivery log, newest first.',
      args: {
        status: t.arg({ type: WebhookDeliveryStatusEnum, required: false, description: 'Only these.' }),
      },
      query: (args) => ({
        where: args.status ? { status: args.status } : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
      totalCount: true,
    }),
  }),
});

const CreatedWebhookEndpointRef = builder
  .objectRef<{ endpoint: WebhookEndpoint; secret: string }>('CreatedWebhookEndpoint')
  .implement({
    description: 'A new endpoint (or a rotated secret) with its signing secret, shown this once.',
    fields: (t) => ({
      endpoint: t.field({
        type: WebhookEndpointRef,
        description: 'The endpoint.',
        resolve: (r) => r.endpoint,
      }),
      secret: t.exposeString('secret', {
        description: 'The `whsec_…` signing secret. Store it now: it is never shown again.',
      }),
    }),
  });

builder.queryField('webhookEndpoints', (t) =>
  t.prismaConnection({
    type: WebhookEndpointRef,
    cursor: 'id',
    description: 'Webhook endpoints, newest first.',
    authScopes: READERS,
    totalCount: (_c, _a, ctx) => ctx.services.db.webhookEndpoint.count(),
    resolve: (query, _root, _args, ctx) =>
      ctx.services.db.webhookEndpoint.findMany({
        ...query,
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
      }),
  }),
);

builder.queryField('webhookEventTypes', (t) =>
  t.field({
    type: [WebhookEventTypeRef],
    description:
      'The event catalogue: every type webhooks deliver, with an example body. Public (documentation).',
    authScopes: { public: true },
    resolve: () => EVENT_TYPE_NAMES.map((name) => ({ name, description: EVENT_TYPES[name] })),
  }),
);

function endpointId(id: { typename: string; id: string }): string {
  if (id.typename !== 'WebhookEndpoint') throw new WebhookNotFoundError('webhook endpoint');
  return id.id;
}

const result = (name: string, description: string) => ({
  directResult: true as const,
  types: WEBHOOK_ERRORS,
  union: { name, description },
});

builder.mutationField('createWebhookEndpoint', (t) =>
  t.field({
    type: CreatedWebhookEndpointRef,
    description:
      'Adds an endpoint and returns its signing secret once. https only in production; private, loopback and link-local addresses are refused unless WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true. Audited.',
    authScopes: WRITERS,
    errors: result('CreateWebhookEndpointResult', 'The new endpoint and its secret, or why not.'),
    args: {
      url: t.arg.string({ required: true, description: 'https://… where events are POSTed.' }),
      events: t.arg.stringList({
        required: false,
        description: 'Event types to receive; omit or empty for all.',
      }),
      description: t.arg.string({ required: false, description: 'What it is for (≤ 200 characters).' }),
    },
    resolve: (_root, args, ctx) =>
      createEndpoint(deps(ctx), ctx.viewer, {
        url: args.url,
        events: args.events,
        description: args.description,
      }),
  }),
);

builder.mutationField('updateWebhookEndpoint', (t) =>
  t.prismaField({
    type: WebhookEndpointRef,
    description: 'Changes an endpoint’s URL, event types or description (omitted: unchanged). Audited.',
    authScopes: WRITERS,
    errors: result('UpdateWebhookEndpointResult', 'The changed endpoint, or why not.'),
    args: {
      id: t.arg.globalID({ required: true, description: 'The WebhookEndpoint id.' }),
      url: t.arg.string({ required: false, description: 'New URL.' }),
      events: t.arg.stringList({ required: false, description: 'New event types; empty for all.' }),
      description: t.arg.string({ required: false, description: 'New description.' }),
    },
    resolve: async (query, _root, args, ctx) => {
      const id = endpointId(args.id);
      await updateEndpoint(deps(ctx), ctx.viewer, id, {
        url: args.url ?? null,
        events: args.events ?? null,
        ...(args.description !== undefined ? { description: args.description } : {}),
      });
      return ctx.services.db.webhookEndpoint.findUniqueOrThrow({ ...withSelection(query), where: { id } });
    },
  }),
);

builder.mutationField('rotateWebhookSecret', (t) =>
  t.field({
    type: CreatedWebhookEndpointRef,
    description:
      'A new signing secret, shown once. The previous one keeps signing (both signatures are sent) for `graceHours` (default 24, 0 to stop at once). Audited.',
    authScopes: WRITERS,
    errors: result('RotateWebhookSecretResult', 'The endpoint and its new secret, or why not.'),
    args: {
      id: t.arg.globalID({ required: true, description: 'The WebhookEndpoint id.' }),
      graceHours: t.arg.int({
        required: false,
        description: 'Hours the previous secret still signs (0–168).',
      }),
    },
    resolve: (_root, args, ctx) =>
      rotateSecret(deps(ctx), ctx.viewer, endpointId(args.id), args.graceHours ?? undefined),
  }),
);

for (const [name, union, status, text] of [
  [
    'pauseWebhookEndpoint',
    'PauseWebhookEndpointResult',
    'PAUSED',
    'Stops sending; events keep queueing and go out in order on resume. Audited.',
  ],
  [
    'resumeWebhookEndpoint',
    'ResumeWebhookEndpointResult',
    'ACTIVE',
    'Sends again (also a DISABLED endpoint), starting with what waited, in order. Audited.',
  ],
] as const) {
  builder.mutationField(name, (t) =>
    t.prismaField({
      type: WebhookEndpointRef,
      description: text,
      authScopes: WRITERS,
      errors: result(union, 'The endpoint, or why not.'),
      args: { id: t.arg.globalID({ required: true, description: 'The WebhookEndpoint id.' }) },
      resolve: async (query, _root, args, ctx) => {
        const id = endpointId(args.id);
        await setEndpointStatus(deps(ctx), ctx.viewer, id, status);
        return ctx.services.db.webhookEndpoint.findUniqueOrThrow({ ...withSelection(query), where: { id } });
      },
    }),
  );
}

builder.mutationField('deleteWebhookEndpoint', (t) =>
  t.id({
    description: 'Deletes an endpoint and its delivery log; returns its id. Audited.',
    authScopes: WRITERS,
    errors: { types: WEBHOOK_ERRORS },
    args: { id: t.arg.globalID({ required: true, description: 'The WebhookEndpoint id.' }) },
    resolve: async (_root, args, ctx) => {
      const id = endpointId(args.id);
      await deleteEndpoint(deps(ctx), ctx.viewer, id);
      return encodeGlobalID('WebhookEndpoint', id);
    },
  }),
);

builder.mutationField('resendWebhookDelivery', (t) =>
  t.prismaField({
    type: WebhookDeliveryRef,
    description: 'Sends one delivery again (after its stream’s earlier deliveries). Audited.',
    authScopes: WRITERS,
    errors: result('ResendWebhookDeliveryResult', 'The delivery, queued again, or why not.'),
    args: { id: t.arg.globalID({ required: true, description: 'The WebhookDelivery id.' }) },
    resolve: async (query, _root, args, ctx) => {
      if (args.id.typename !== 'WebhookDelivery') throw new WebhookNotFoundError('webhook delivery');
      await resendDelivery(deps(ctx), ctx.viewer, args.id.id);
      return ctx.services.db.webhookDelivery.findUniqueOrThrow({
        ...withSelection(query),
        where: { id: args.id.id },
      });
    },
  }),
);

builder.mutationField('replayWebhookEvents', (t) =>
  t.int({
    description:
      'Queues every event numbered `fromEvent` or later (that the endpoint subscribes to) again, in order, including events from before the endpoint existed; returns how many deliveries were queued. Receivers de-duplicate by `webhook-id`. Audited.',
    authScopes: WRITERS,
    errors: { types: WEBHOOK_ERRORS },
    args: {
      endpointId: t.arg.globalID({ required: true, description: 'The WebhookEndpoint id.' }),
      fromEvent: t.arg.string({
        required: true,
        description: 'The event number to start from (a delivery’s `eventNumber`).',
      }),
    },
    resolve: (_root, args, ctx) =>
      replayFrom(deps(ctx), ctx.viewer, endpointId(args.endpointId), args.fromEvent),
  }),
);
