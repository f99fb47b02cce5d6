/** Every route of the client, in one place: the router, navigation and redirects use these. */
export const paths = {
  driverDashboard: '/',
  signIn: '/sign-in',
  /** A driver's session: `/sessions/:sessionId`. */
  driverSession: '/sessions/:sessionId',
  apiDocs: '/docs/api',
  admin: {
    dashboard: '/admin',
    insights: '/admin/insights',
    chargers: '/admin/chargers',
    sessions: '/admin/sessions',
    cards: '/admin/cards',
    drivers: '/admin/drivers',
    audit: '/admin/audit',
    alerts: '/admin/alerts',
    webhooks: '/admin/webhooks',
  },
} as const;

/** The sign-in page, remembering where to go afterwards. */
export function signInPath(next?: string): string {
  return next && next !== paths.driverDashboard
    ? `${paths.signIn}?next=${encodeURIComponent(next)}`
    : paths.signIn;
}

/** The driver's page of one session. */
export function sessionPath(sessionId: string): string {
  return `/sessions/${encodeURIComponent(sessionId)}`;
}
