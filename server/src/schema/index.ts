import { lexicographicSortSchema } from 'graphql';
import { builder } from './builder.ts';
import '../modules/system/system.schema.ts';
import '../modules/auth/auth.schema.ts';
import '../modules/drivers/drivers.schema.ts';
import '../modules/customers/customers.schema.ts';
import '../modules/billing/billing.schema.ts';
import '../modules/billing/sandbox.schema.ts';
import '../modules/billing/tariff.schema.ts';
import '../modules/billing/invoice-line.schema.ts';
import '../modules/chargers/chargers.schema.ts';
import '../modules/chargers/charger-details.schema.ts';
import '../modules/sync/sync.schema.ts';
import '../modules/sessions/sessions.schema.ts';
import '../modules/sessions/session-curve.schema.ts';
import '../modules/charging/charging.schema.ts';
import '../modules/charging/reservations.schema.ts';
import '../modules/charging/notifications.schema.ts';
import '../modules/cards/cards.schema.ts';
import '../modules/alerts/alerts.schema.ts';
import '../modules/audit/audit.schema.ts';
import '../modules/sessions/admin-sessions.schema.ts';
import '../modules/dashboard/dashboard.schema.ts';
import '../modules/commands/commands.schema.ts';
import '../modules/insights/insights.schema.ts';
import '../modules/webhooks/webhooks.schema.ts';

/** The whole API, types sorted so the printed schema.graphql is stable. */
export const schema = lexicographicSortSchema(builder.toSchema());
