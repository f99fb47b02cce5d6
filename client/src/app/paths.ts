/** Every route of the client, in one place: the router, navigation and redirects use these. */
export const paths = {
  driverDashboard: '/',
  signIn: '/sign-in',
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
  },
} as const;

/** The sign-in page, remembering where to go afterwards. */
export function signInPath(next?: string): string {
  return next && next !== paths.driverDashboard
    ? `${paths.signIn}?next=${encodeURIComponent(next)}`
    : paths.signIn;
}
