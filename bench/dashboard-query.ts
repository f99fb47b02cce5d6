/** The dashboard subset both sides of the dashboard scenario answer (the baseline produces the same JSON). */
export const DASHBOARD_QUERY = `{ adminDashboard {
  chargersTotal chargersOnline unreadAlerts
  weeklyFigures { kwhDelivered syncRuns cardsActivated reservationsCompleted }
  liveSessions { id steveTransactionPk idTag startedAt powerKw charger { chargeBoxId } }
} }`;
