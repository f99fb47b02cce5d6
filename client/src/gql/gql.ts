/* eslint-disable */
import * as types from './graphql.ts';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query AdminDashboardPage {\n    adminDashboard {\n      welcome\n      chargersOnline\n      chargersTotal\n      unreadAlerts\n      syncSchedule {\n        nextRunAt\n        ...SyncCard_Schedule\n      }\n      activeSyncRun {\n        ...SyncCard_Run\n      }\n      liveSessions {\n        ...LiveNowCard_Session\n      }\n      weeklyFigures {\n        ...ThisWeekCard_Figures\n      }\n      health {\n        warnings {\n          code\n          message\n        }\n      }\n    }\n    changeCapture {\n      ...SyncCard_ChangeCapture\n    }\n    syncRuns(first: 1) {\n      edges {\n        node {\n          id\n          ...SyncCard_Run\n        }\n      }\n    }\n    serverInfo {\n      lagoMode\n    }\n  }\n": typeof types.AdminDashboardPageDocument,
    "\n  subscription AdminDashboardChargerChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n": typeof types.AdminDashboardChargerChangedDocument,
    "\n  query DemoPanelSandboxStatus {\n    lagoSandboxStatus {\n      down\n      pendingEvents\n    }\n  }\n": typeof types.DemoPanelSandboxStatusDocument,
    "\n  mutation DemoPanelSetLagoSandboxFault($down: Boolean!) {\n    setLagoSandboxFault(down: $down) {\n      __typename\n      ... on MutationSetLagoSandboxFaultSuccess {\n        data {\n          down\n          pendingEvents\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.DemoPanelSetLagoSandboxFaultDocument,
    "\n  fragment HealthCard_Health on OperatorHealth {\n    checkedAt\n    healthy\n    warnings {\n      source\n      code\n      severity\n      message\n      count\n    }\n  }\n": typeof types.HealthCard_HealthFragmentDoc,
    "\n  query HealthCard {\n    operatorHealth {\n      ...HealthCard_Health\n    }\n  }\n": typeof types.HealthCardDocument,
    "\n  fragment LiveNowCard_Session on OperatorSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    connectorNumber\n    idTag\n    charger {\n      id\n      name\n    }\n    card {\n      id\n      publicId\n    }\n    driver {\n      id\n      name\n      email\n    }\n  }\n": typeof types.LiveNowCard_SessionFragmentDoc,
    "\n  subscription LiveNowCardLiveSessions {\n    liveSessions {\n      ...LiveNowCard_Session\n    }\n  }\n": typeof types.LiveNowCardLiveSessionsDocument,
    "\n  fragment SyncCard_Schedule on SyncSchedule {\n    tier\n    nextRunAt\n    interval\n    consecutiveFailures\n    lastSuccessAt\n  }\n": typeof types.SyncCard_ScheduleFragmentDoc,
    "\n  fragment SyncCard_Run on SyncRun {\n    id\n    status\n    trigger\n    tier\n    startedAt\n    finishedAt\n    segments {\n      kind\n      status\n      processed\n      total\n    }\n  }\n": typeof types.SyncCard_RunFragmentDoc,
    "\n  subscription SyncCardProgress {\n    syncRunProgress {\n      ...SyncCard_Run\n    }\n  }\n": typeof types.SyncCardProgressDocument,
    "\n  mutation SyncCardTriggerSync {\n    triggerSync {\n      ...SyncCard_Schedule\n    }\n  }\n": typeof types.SyncCardTriggerSyncDocument,
    "\n  fragment SyncCard_ChangeCapture on ChangeCapture {\n    status\n    streaming\n    problem\n    lagMs\n    lastAppliedAt\n  }\n": typeof types.SyncCard_ChangeCaptureFragmentDoc,
    "\n  fragment ThisWeekCard_Figures on WeeklyFigures {\n    kwhDelivered\n    syncRuns\n    cardsActivated\n    reservationsCompleted\n  }\n": typeof types.ThisWeekCard_FiguresFragmentDoc,
    "\n  fragment AlertRow_Alert on Alert {\n    id\n    severity\n    kind\n    message\n    subjectType\n    subjectId\n    createdAt\n    readAt\n    charger {\n      id\n      name\n    }\n    suggestedCommand {\n      kind\n      connectorNumber\n    }\n  }\n": typeof types.AlertRow_AlertFragmentDoc,
    "\n  query AlertsPage($unreadOnly: Boolean, $after: String) {\n    unreadAlertCount\n    alerts(first: 20, after: $after, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AlertRow_Alert\n        }\n      }\n    }\n  }\n": typeof types.AlertsPageDocument,
    "\n  mutation AlertsPageMarkRead($id: ID!) {\n    markAlertRead(id: $id) {\n      id\n      readAt\n    }\n  }\n": typeof types.AlertsPageMarkReadDocument,
    "\n  subscription UnreadAlertCount {\n    unreadAlertCount\n  }\n": typeof types.UnreadAlertCountDocument,
    "\n  query ApiDocsEventTypes {\n    webhookEventTypes {\n      name\n      description\n      example\n    }\n  }\n": typeof types.ApiDocsEventTypesDocument,
    "\n  fragment AuditRow_Event on AuditEvent {\n    id\n    at\n    action\n    actorEmail\n    actorId\n    impersonatorId\n    subjectType\n    subjectId\n    before\n    after\n  }\n": typeof types.AuditRow_EventFragmentDoc,
    "\n  query AuditLogPage($subjectId: String, $actor: String, $after: String) {\n    auditEvents(first: 25, after: $after, subjectId: $subjectId, actor: $actor) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AuditRow_Event\n        }\n      }\n    }\n  }\n": typeof types.AuditLogPageDocument,
    "\n  query SignInPage {\n    serverInfo {\n      version\n      ...DeploymentModeNotice_ServerInfo\n    }\n  }\n": typeof types.SignInPageDocument,
    "\n  query CustomerPicker($search: String) {\n    lagoCustomers(search: $search, perPage: 8) {\n      __typename\n      ... on QueryLagoCustomersSuccess {\n        data {\n          totalCount\n          nodes {\n            externalId\n            name\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CustomerPickerDocument,
    "\n  mutation CustomerPickerMap($cardId: ID!, $externalId: String!) {\n    mapCardToCustomer(cardId: $cardId, customerExternalId: $externalId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CustomerPickerMapDocument,
    "\n  mutation CustomerPickerCreate($input: CreateLagoCustomerInput!) {\n    createLagoCustomer(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CustomerPickerCreateDocument,
    "\n  query EvCardDetailPage($publicId: String!) {\n    evCard(publicId: $publicId) {\n      id\n      publicId\n      idTag\n      label\n      status\n      origin\n      isPrimary\n      activatedAt\n      disabledAt\n      createdAt\n      owner {\n        id\n        email\n        name\n      }\n      customer {\n        id\n        name\n        externalId\n        email\n      }\n      ...MappingHistory_Card\n    }\n    drivers(first: 25) {\n      edges {\n        node {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n": typeof types.EvCardDetailPageDocument,
    "\n  mutation EvCardActivate($publicId: String!) {\n    activateCard(publicId: $publicId) {\n      __typename\n      ... on MutationActivateCardSuccess {\n        data {\n          id\n          status\n          activatedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.EvCardActivateDocument,
    "\n  mutation EvCardDisable($publicId: String!) {\n    disableCard(publicId: $publicId) {\n      __typename\n      ... on MutationDisableCardSuccess {\n        data {\n          id\n          status\n          isPrimary\n          disabledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.EvCardDisableDocument,
    "\n  mutation EvCardSetPrimary($publicId: String!) {\n    setPrimaryCard(publicId: $publicId) {\n      __typename\n      ... on MutationSetPrimaryCardSuccess {\n        data {\n          id\n          isPrimary\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.EvCardSetPrimaryDocument,
    "\n  mutation EvCardAssign($publicId: String!, $driverId: ID!) {\n    assignCard(publicId: $publicId, driverId: $driverId) {\n      __typename\n      ... on MutationAssignCardSuccess {\n        data {\n          id\n          isPrimary\n          owner {\n            id\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.EvCardAssignDocument,
    "\n  fragment EvCardRow_Card on EvCard {\n    publicId\n    idTag\n    label\n    status\n    origin\n    isPrimary\n    activatedAt\n    owner {\n      email\n    }\n    customer {\n      name\n    }\n  }\n": typeof types.EvCardRow_CardFragmentDoc,
    "\n  query EvCardsPage($search: String, $status: EvCardStatus, $after: String) {\n    evCards(first: 25, after: $after, search: $search, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...EvCardRow_Card\n        }\n      }\n    }\n  }\n": typeof types.EvCardsPageDocument,
    "\n  mutation EvCardsPageCreateCard($idTag: String!, $label: String) {\n    createCard(idTag: $idTag, label: $label) {\n      __typename\n      ... on MutationCreateCardSuccess {\n        data {\n          id\n          publicId\n        }\n      }\n      ... on InvalidCardInputError {\n        message\n      }\n    }\n  }\n": typeof types.EvCardsPageCreateCardDocument,
    "\n  fragment MappingHistory_Card on EvCard {\n    customerMappings {\n      id\n      current\n      startedAt\n      endedAt\n      customer {\n        id\n        name\n        externalId\n      }\n      actor {\n        id\n        email\n      }\n    }\n  }\n": typeof types.MappingHistory_CardFragmentDoc,
    "\n  query ChargerDetailPage($id: ID!) {\n    charger(id: $id) {\n      id\n      chargeBoxId\n      name\n      vendor\n      model\n      state\n      stateChangedAt\n      lastHeartbeatAt\n      lastSeenAt\n      goneAt\n      connectors {\n        connectorId\n        status\n        errorCode\n        errorInfo\n        statusAt\n        maxPowerKw\n      }\n      statusTimeline(days: 7) {\n        connectorId\n        status\n        errorCode\n        from\n        to\n      }\n      uptime {\n        connectorId\n        last7Days\n        last30Days\n      }\n      recentFaults {\n        id\n        connectorId\n        errorCode\n        errorInfo\n        at\n        suggestedCommand\n      }\n      recentCommands {\n        id\n        ...CommandRow_Command\n      }\n      recentReservations {\n        id\n        connectorNumber\n        idTag\n        status\n        startsAt\n        expiresAt\n        card {\n          id\n          publicId\n        }\n      }\n    }\n  }\n": typeof types.ChargerDetailPageDocument,
    "\n  subscription ChargerDetailStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n": typeof types.ChargerDetailStateChangedDocument,
    "\n  query ChargerDetailSessions($search: String!) {\n    operatorSessions(first: 10, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          status\n          connectorNumber\n          startedAt\n          stoppedAt\n          energyKwh\n          idTag\n          card {\n            id\n            publicId\n          }\n        }\n      }\n    }\n  }\n": typeof types.ChargerDetailSessionsDocument,
    "\n  fragment ChargerRow_Charger on Charger {\n    id\n    chargeBoxId\n    name\n    vendor\n    model\n    state\n    lastHeartbeatAt\n    lastSeenAt\n    goneAt\n    connectors {\n      connectorId\n    }\n  }\n": typeof types.ChargerRow_ChargerFragmentDoc,
    "\n  query ChargersPage($after: String) {\n    chargers(first: 25, after: $after, includeGone: true) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...ChargerRow_Charger\n        }\n      }\n    }\n  }\n": typeof types.ChargersPageDocument,
    "\n  query ChargingProfilesCard {\n    chargingProfiles {\n      profileId\n      description\n      purpose\n      stackLevel\n      chargingRateUnit\n    }\n  }\n": typeof types.ChargingProfilesCardDocument,
    "\n  query ChargingProfilesCardSchedule($chargerId: ID!, $connectorNumber: Int) {\n    compositeSchedule(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      status\n      reason\n      scheduleStart\n      chargingRateUnit\n      periods {\n        startPeriodSeconds\n        limit\n      }\n    }\n  }\n": typeof types.ChargingProfilesCardScheduleDocument,
    "\n  mutation ChargingProfilesCardSet($chargerId: ID!, $chargingProfileId: Int!, $connectorNumber: Int) {\n    setChargingProfile(\n      chargerId: $chargerId\n      chargingProfileId: $chargingProfileId\n      connectorNumber: $connectorNumber\n    ) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ChargingProfilesCardSetDocument,
    "\n  mutation ChargingProfilesCardClear($chargerId: ID!, $chargingProfileId: Int!) {\n    clearChargingProfile(chargerId: $chargerId, chargingProfileId: $chargingProfileId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ChargingProfilesCardClearDocument,
    "\n  fragment CommandRow_Command on ChargerCommand {\n    id\n    kind\n    status\n    connectorNumber\n    parameters\n    answer\n    reason\n    requestedBy\n    createdAt\n    decidedAt\n  }\n": typeof types.CommandRow_CommandFragmentDoc,
    "\n  subscription CommandPanelCommandUpdated($id: ID!) {\n    chargerCommandUpdated(id: $id) {\n      ...CommandRow_Command\n    }\n  }\n": typeof types.CommandPanelCommandUpdatedDocument,
    "\n  mutation CommandPanelReset($chargerId: ID!, $type: ResetType!) {\n    resetCharger(chargerId: $chargerId, type: $type) {\n      __typename\n      ... on ResetChargerSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CommandPanelResetDocument,
    "\n  mutation CommandPanelUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n      ... on UnlockConnectorSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CommandPanelUnlockDocument,
    "\n  mutation CommandPanelAvailability($chargerId: ID!, $connectorNumber: Int, $available: Boolean!) {\n    changeAvailability(chargerId: $chargerId, connectorNumber: $connectorNumber, available: $available) {\n      __typename\n      ... on ChangeAvailabilitySuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CommandPanelAvailabilityDocument,
    "\n  mutation CommandPanelTrigger($chargerId: ID!, $message: TriggerMessageKind!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: $message, connectorNumber: $connectorNumber) {\n      __typename\n      ... on TriggerMessageSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.CommandPanelTriggerDocument,
    "\n  query ChargerConfigurationCard($chargerId: ID!) {\n    chargerConfiguration(chargerId: $chargerId) {\n      status\n      reason\n      keys {\n        key\n        value\n        readonly\n      }\n      unknownKeys\n    }\n  }\n": typeof types.ChargerConfigurationCardDocument,
    "\n  mutation ChargerConfigurationChange($chargerId: ID!, $key: String!, $value: String!) {\n    changeConfiguration(chargerId: $chargerId, key: $key, value: $value) {\n      __typename\n      ... on ChangeConfigurationSuccess {\n        command {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.ChargerConfigurationChangeDocument,
    "\n  mutation OneClickFixReset($chargerId: ID!) {\n    resetCharger(chargerId: $chargerId, type: SOFT) {\n      __typename\n    }\n  }\n": typeof types.OneClickFixResetDocument,
    "\n  mutation OneClickFixUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n": typeof types.OneClickFixUnlockDocument,
    "\n  mutation OneClickFixTrigger($chargerId: ID!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: STATUS_NOTIFICATION, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n": typeof types.OneClickFixTriggerDocument,
    "\n  fragment ActiveSessionBanner_Session on ChargingSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n  }\n": typeof types.ActiveSessionBanner_SessionFragmentDoc,
    "\n  mutation StopCharging($sessionId: ID!) {\n    stopCharging(sessionId: $sessionId) {\n      __typename\n      ... on StopChargingSuccess {\n        session {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.StopChargingDocument,
    "\n  fragment ChargerCard_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n    connectorCount\n    freeConnectorCount\n    site {\n      name\n      address\n      latitude\n      longitude\n    }\n    connectors {\n      connectorId\n      status\n      connectorType\n      ratedPowerKw\n    }\n  }\n": typeof types.ChargerCard_ChargerFragmentDoc,
    "\n  query DriverViewer {\n    viewer {\n      id\n      name\n      status\n      impersonatedBy {\n        email\n      }\n      cards {\n        publicId\n        status\n        isPrimary\n      }\n    }\n    activeReservation {\n      id\n      expiresAt\n      connectorNumber\n      charger {\n        id\n        name\n      }\n    }\n  }\n": typeof types.DriverViewerDocument,
    "\n  query DriverTariff {\n    tariff {\n      ...Price_Tariff\n    }\n  }\n": typeof types.DriverTariffDocument,
    "\n  query DriverChargers($after: String, $search: String, $connectorType: ConnectorType, $freeNow: Boolean) {\n    chargers(first: 20, after: $after, search: $search, connectorType: $connectorType, freeNow: $freeNow) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        ...ChargerCard_Charger\n      }\n    }\n  }\n": typeof types.DriverChargersDocument,
    "\n  query DriverHistory {\n    sessions(first: 10) {\n      edges {\n        node {\n          id\n          ...RecentSessionRow_Session\n        }\n      }\n    }\n    usage {\n      ...UsageCard_Usage\n    }\n  }\n": typeof types.DriverHistoryDocument,
    "\n  subscription DriverActiveSession {\n    activeSession {\n      id\n      ...ActiveSessionBanner_Session\n    }\n  }\n": typeof types.DriverActiveSessionDocument,
    "\n  subscription DriverChargerStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n": typeof types.DriverChargerStateChangedDocument,
    "\n  query DriverSession($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on ChargingSession {\n        status\n        startedAt\n        stoppedAt\n        energyKwh\n        durationSeconds\n        stopReason\n        cost {\n          amount\n          currency\n        }\n        charger {\n          id\n          name\n          chargeBoxId\n        }\n        card {\n          publicId\n        }\n        curve {\n          at\n          energyKwh\n          powerKw\n        }\n      }\n    }\n  }\n": typeof types.DriverSessionDocument,
    "\n  subscription DriverNotifications {\n    driverNotifications {\n      id\n      kind\n      message\n      chargerName\n    }\n  }\n": typeof types.DriverNotificationsDocument,
    "\n  fragment PickChargerOption_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n  }\n": typeof types.PickChargerOption_ChargerFragmentDoc,
    "\n  query PickCharger {\n    tariff {\n      ...Price_Tariff\n    }\n    chargers(first: 50) {\n      edges {\n        node {\n          id\n          ...PickChargerOption_Charger\n        }\n      }\n    }\n  }\n": typeof types.PickChargerDocument,
    "\n  mutation StartCharging($chargerId: ID!) {\n    startCharging(chargerId: $chargerId) {\n      __typename\n      ... on StartChargingSuccess {\n        startRequest {\n          id\n          outcome\n          message\n          session {\n            id\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.StartChargingDocument,
    "\n  subscription StartRequestUpdated($id: ID!) {\n    startRequestUpdated(id: $id) {\n      id\n      outcome\n      message\n      session {\n        id\n      }\n    }\n  }\n": typeof types.StartRequestUpdatedDocument,
    "\n  fragment Price_Tariff on Tariff {\n    currency\n    model\n    tiers {\n      toKwh\n      unitPrice\n      flatFee\n    }\n  }\n": typeof types.Price_TariffFragmentDoc,
    "\n  fragment RecentSessionRow_Session on ChargingSession {\n    id\n    status\n    startedAt\n    energyKwh\n    durationSeconds\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n    card {\n      publicId\n    }\n  }\n": typeof types.RecentSessionRow_SessionFragmentDoc,
    "\n  mutation ReserveCharger($chargerId: ID!) {\n    reserveCharger(chargerId: $chargerId) {\n      __typename\n      ... on Reservation {\n        id\n        expiresAt\n      }\n      ... on NoActiveCardError {\n        message\n      }\n      ... on AccountInactiveError {\n        message\n      }\n      ... on ChargerUnavailableError {\n        message\n      }\n      ... on AlreadyReservedError {\n        message\n      }\n      ... on ReservationRejectedError {\n        message\n      }\n    }\n  }\n": typeof types.ReserveChargerDocument,
    "\n  mutation CancelReservation($id: ID!) {\n    cancelReservation(id: $id) {\n      __typename\n      ... on Reservation {\n        id\n        status\n      }\n      ... on ReservationNotFoundError {\n        message\n      }\n      ... on ReservationCancelFailedError {\n        message\n      }\n    }\n  }\n": typeof types.CancelReservationDocument,
    "\n  fragment UsageCard_Usage on DriverUsage {\n    weekKwh\n    weekSessions\n    monthKwh\n    monthSessions\n    billingPeriod {\n      from\n      to\n      kwh\n      amountCents\n      currency\n    }\n    billingAvailability\n  }\n": typeof types.UsageCard_UsageFragmentDoc,
    "\n  fragment DriverRow_User on User {\n    id\n    email\n    name\n    status\n    createdAt\n    authUserId\n  }\n": typeof types.DriverRow_UserFragmentDoc,
    "\n  query DriversPage($search: String, $after: String) {\n    drivers(first: 25, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...DriverRow_User\n        }\n      }\n    }\n  }\n": typeof types.DriversPageDocument,
    "\n  mutation DriversPageCreate($input: CreateDriverInput!) {\n    createDriver(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.DriversPageCreateDocument,
    "\n  mutation DriversPageSetStatus($id: ID!, $status: AccountStatus!) {\n    setDriverStatus(id: $id, status: $status) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.DriversPageSetStatusDocument,
    "\n  mutation DriversPageResetPassword($id: ID!, $password: String!) {\n    resetDriverPassword(id: $id, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": typeof types.DriversPageResetPasswordDocument,
    "\n  query InsightsEnergy($bucket: EnergyBucket!) {\n    insightsEnergy(bucket: $bucket) {\n      bucket\n      kwh\n      sessions\n    }\n  }\n": typeof types.InsightsEnergyDocument,
    "\n  query InsightsSessionsByHour {\n    insightsSessionsByHour(days: 30) {\n      hour\n      sessions\n    }\n  }\n": typeof types.InsightsSessionsByHourDocument,
    "\n  query InsightsUtilisation($days: Int!) {\n    insightsUtilisation(days: $days) {\n      chargeBoxId\n      name\n      share\n      rank\n    }\n  }\n": typeof types.InsightsUtilisationDocument,
    "\n  query InsightsSyncRuns {\n    insightsSyncRuns {\n      bucket\n      runs\n      failed\n      meanDurationMs\n      maxDurationMs\n      changes\n    }\n  }\n": typeof types.InsightsSyncRunsDocument,
    "\n  query InsightsBilling {\n    insightsBilling {\n      day\n      sent\n      waiting\n      refused\n    }\n  }\n": typeof types.InsightsBillingDocument,
    "\n  fragment SessionRow_Session on OperatorSession {\n    status\n    connectorNumber\n    idTag\n    startedAt\n    stoppedAt\n    energyKwh\n    charger {\n      name\n    }\n    card {\n      publicId\n    }\n    driver {\n      email\n    }\n  }\n": typeof types.SessionRow_SessionFragmentDoc,
    "\n  query SessionsPage($filter: OperatorSessionFilter, $after: String) {\n    operatorSessions(first: 20, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...SessionRow_Session\n        }\n      }\n    }\n  }\n": typeof types.SessionsPageDocument,
    "\n  fragment DeploymentModeNotice_ServerInfo on ServerInfo {\n    demo\n    steveMode\n    lagoMode\n  }\n": typeof types.DeploymentModeNotice_ServerInfoFragmentDoc,
    "\n  fragment WebhookEndpointRow_WebhookEndpoint on WebhookEndpoint {\n    id\n    url\n    description\n    events\n    status\n    disabledReason\n    failingSince\n    previousSecretExpiresAt\n    pendingCount\n    createdAt\n  }\n": typeof types.WebhookEndpointRow_WebhookEndpointFragmentDoc,
    "\n  query WebhooksPage($after: String) {\n    webhookEventTypes {\n      name\n      description\n    }\n    webhookEndpoints(first: 25, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...WebhookEndpointRow_WebhookEndpoint\n        }\n      }\n    }\n  }\n": typeof types.WebhooksPageDocument,
    "\n  query WebhookDeliveries($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookEndpoint {\n        deliveries(first: 20) {\n          totalCount\n          nodes {\n            id\n            status\n            eventType\n            eventNumber\n            attempts\n            responseStatus\n            latencyMs\n            lastError\n            nextAttemptAt\n            createdAt\n          }\n        }\n      }\n    }\n  }\n": typeof types.WebhookDeliveriesDocument,
    "\n  mutation CreateWebhookEndpoint($url: String!, $events: [String!], $description: String) {\n    createWebhookEndpoint(url: $url, events: $events, description: $description) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n": typeof types.CreateWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n": typeof types.RotateWebhookSecretDocument,
    "\n  mutation PauseWebhookEndpoint($id: ID!) {\n    pauseWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n": typeof types.PauseWebhookEndpointDocument,
    "\n  mutation ResumeWebhookEndpoint($id: ID!) {\n    resumeWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n": typeof types.ResumeWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": typeof types.DeleteWebhookEndpointDocument,
    "\n  mutation ResendWebhookDelivery($id: ID!) {\n    resendWebhookDelivery(id: $id) {\n      id\n      status\n    }\n  }\n": typeof types.ResendWebhookDeliveryDocument,
    "\n  mutation ReplayWebhookEvents($id: ID!, $from: String!) {\n    replayWebhookEvents(endpointId: $id, fromEvent: $from)\n  }\n": typeof types.ReplayWebhookEventsDocument,
};
const documents: Documents = {
    "\n  query AdminDashboardPage {\n    adminDashboard {\n      welcome\n      chargersOnline\n      chargersTotal\n      unreadAlerts\n      syncSchedule {\n        nextRunAt\n        ...SyncCard_Schedule\n      }\n      activeSyncRun {\n        ...SyncCard_Run\n      }\n      liveSessions {\n        ...LiveNowCard_Session\n      }\n      weeklyFigures {\n        ...ThisWeekCard_Figures\n      }\n      health {\n        warnings {\n          code\n          message\n        }\n      }\n    }\n    changeCapture {\n      ...SyncCard_ChangeCapture\n    }\n    syncRuns(first: 1) {\n      edges {\n        node {\n          id\n          ...SyncCard_Run\n        }\n      }\n    }\n    serverInfo {\n      lagoMode\n    }\n  }\n": types.AdminDashboardPageDocument,
    "\n  subscription AdminDashboardChargerChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n": types.AdminDashboardChargerChangedDocument,
    "\n  query DemoPanelSandboxStatus {\n    lagoSandboxStatus {\n      down\n      pendingEvents\n    }\n  }\n": types.DemoPanelSandboxStatusDocument,
    "\n  mutation DemoPanelSetLagoSandboxFault($down: Boolean!) {\n    setLagoSandboxFault(down: $down) {\n      __typename\n      ... on MutationSetLagoSandboxFaultSuccess {\n        data {\n          down\n          pendingEvents\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.DemoPanelSetLagoSandboxFaultDocument,
    "\n  fragment HealthCard_Health on OperatorHealth {\n    checkedAt\n    healthy\n    warnings {\n      source\n      code\n      severity\n      message\n      count\n    }\n  }\n": types.HealthCard_HealthFragmentDoc,
    "\n  query HealthCard {\n    operatorHealth {\n      ...HealthCard_Health\n    }\n  }\n": types.HealthCardDocument,
    "\n  fragment LiveNowCard_Session on OperatorSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    connectorNumber\n    idTag\n    charger {\n      id\n      name\n    }\n    card {\n      id\n      publicId\n    }\n    driver {\n      id\n      name\n      email\n    }\n  }\n": types.LiveNowCard_SessionFragmentDoc,
    "\n  subscription LiveNowCardLiveSessions {\n    liveSessions {\n      ...LiveNowCard_Session\n    }\n  }\n": types.LiveNowCardLiveSessionsDocument,
    "\n  fragment SyncCard_Schedule on SyncSchedule {\n    tier\n    nextRunAt\n    interval\n    consecutiveFailures\n    lastSuccessAt\n  }\n": types.SyncCard_ScheduleFragmentDoc,
    "\n  fragment SyncCard_Run on SyncRun {\n    id\n    status\n    trigger\n    tier\n    startedAt\n    finishedAt\n    segments {\n      kind\n      status\n      processed\n      total\n    }\n  }\n": types.SyncCard_RunFragmentDoc,
    "\n  subscription SyncCardProgress {\n    syncRunProgress {\n      ...SyncCard_Run\n    }\n  }\n": types.SyncCardProgressDocument,
    "\n  mutation SyncCardTriggerSync {\n    triggerSync {\n      ...SyncCard_Schedule\n    }\n  }\n": types.SyncCardTriggerSyncDocument,
    "\n  fragment SyncCard_ChangeCapture on ChangeCapture {\n    status\n    streaming\n    problem\n    lagMs\n    lastAppliedAt\n  }\n": types.SyncCard_ChangeCaptureFragmentDoc,
    "\n  fragment ThisWeekCard_Figures on WeeklyFigures {\n    kwhDelivered\n    syncRuns\n    cardsActivated\n    reservationsCompleted\n  }\n": types.ThisWeekCard_FiguresFragmentDoc,
    "\n  fragment AlertRow_Alert on Alert {\n    id\n    severity\n    kind\n    message\n    subjectType\n    subjectId\n    createdAt\n    readAt\n    charger {\n      id\n      name\n    }\n    suggestedCommand {\n      kind\n      connectorNumber\n    }\n  }\n": types.AlertRow_AlertFragmentDoc,
    "\n  query AlertsPage($unreadOnly: Boolean, $after: String) {\n    unreadAlertCount\n    alerts(first: 20, after: $after, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AlertRow_Alert\n        }\n      }\n    }\n  }\n": types.AlertsPageDocument,
    "\n  mutation AlertsPageMarkRead($id: ID!) {\n    markAlertRead(id: $id) {\n      id\n      readAt\n    }\n  }\n": types.AlertsPageMarkReadDocument,
    "\n  subscription UnreadAlertCount {\n    unreadAlertCount\n  }\n": types.UnreadAlertCountDocument,
    "\n  query ApiDocsEventTypes {\n    webhookEventTypes {\n      name\n      description\n      example\n    }\n  }\n": types.ApiDocsEventTypesDocument,
    "\n  fragment AuditRow_Event on AuditEvent {\n    id\n    at\n    action\n    actorEmail\n    actorId\n    impersonatorId\n    subjectType\n    subjectId\n    before\n    after\n  }\n": types.AuditRow_EventFragmentDoc,
    "\n  query AuditLogPage($subjectId: String, $actor: String, $after: String) {\n    auditEvents(first: 25, after: $after, subjectId: $subjectId, actor: $actor) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AuditRow_Event\n        }\n      }\n    }\n  }\n": types.AuditLogPageDocument,
    "\n  query SignInPage {\n    serverInfo {\n      version\n      ...DeploymentModeNotice_ServerInfo\n    }\n  }\n": types.SignInPageDocument,
    "\n  query CustomerPicker($search: String) {\n    lagoCustomers(search: $search, perPage: 8) {\n      __typename\n      ... on QueryLagoCustomersSuccess {\n        data {\n          totalCount\n          nodes {\n            externalId\n            name\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CustomerPickerDocument,
    "\n  mutation CustomerPickerMap($cardId: ID!, $externalId: String!) {\n    mapCardToCustomer(cardId: $cardId, customerExternalId: $externalId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CustomerPickerMapDocument,
    "\n  mutation CustomerPickerCreate($input: CreateLagoCustomerInput!) {\n    createLagoCustomer(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CustomerPickerCreateDocument,
    "\n  query EvCardDetailPage($publicId: String!) {\n    evCard(publicId: $publicId) {\n      id\n      publicId\n      idTag\n      label\n      status\n      origin\n      isPrimary\n      activatedAt\n      disabledAt\n      createdAt\n      owner {\n        id\n        email\n        name\n      }\n      customer {\n        id\n        name\n        externalId\n        email\n      }\n      ...MappingHistory_Card\n    }\n    drivers(first: 25) {\n      edges {\n        node {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n": types.EvCardDetailPageDocument,
    "\n  mutation EvCardActivate($publicId: String!) {\n    activateCard(publicId: $publicId) {\n      __typename\n      ... on MutationActivateCardSuccess {\n        data {\n          id\n          status\n          activatedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.EvCardActivateDocument,
    "\n  mutation EvCardDisable($publicId: String!) {\n    disableCard(publicId: $publicId) {\n      __typename\n      ... on MutationDisableCardSuccess {\n        data {\n          id\n          status\n          isPrimary\n          disabledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.EvCardDisableDocument,
    "\n  mutation EvCardSetPrimary($publicId: String!) {\n    setPrimaryCard(publicId: $publicId) {\n      __typename\n      ... on MutationSetPrimaryCardSuccess {\n        data {\n          id\n          isPrimary\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.EvCardSetPrimaryDocument,
    "\n  mutation EvCardAssign($publicId: String!, $driverId: ID!) {\n    assignCard(publicId: $publicId, driverId: $driverId) {\n      __typename\n      ... on MutationAssignCardSuccess {\n        data {\n          id\n          isPrimary\n          owner {\n            id\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.EvCardAssignDocument,
    "\n  fragment EvCardRow_Card on EvCard {\n    publicId\n    idTag\n    label\n    status\n    origin\n    isPrimary\n    activatedAt\n    owner {\n      email\n    }\n    customer {\n      name\n    }\n  }\n": types.EvCardRow_CardFragmentDoc,
    "\n  query EvCardsPage($search: String, $status: EvCardStatus, $after: String) {\n    evCards(first: 25, after: $after, search: $search, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...EvCardRow_Card\n        }\n      }\n    }\n  }\n": types.EvCardsPageDocument,
    "\n  mutation EvCardsPageCreateCard($idTag: String!, $label: String) {\n    createCard(idTag: $idTag, label: $label) {\n      __typename\n      ... on MutationCreateCardSuccess {\n        data {\n          id\n          publicId\n        }\n      }\n      ... on InvalidCardInputError {\n        message\n      }\n    }\n  }\n": types.EvCardsPageCreateCardDocument,
    "\n  fragment MappingHistory_Card on EvCard {\n    customerMappings {\n      id\n      current\n      startedAt\n      endedAt\n      customer {\n        id\n        name\n        externalId\n      }\n      actor {\n        id\n        email\n      }\n    }\n  }\n": types.MappingHistory_CardFragmentDoc,
    "\n  query ChargerDetailPage($id: ID!) {\n    charger(id: $id) {\n      id\n      chargeBoxId\n      name\n      vendor\n      model\n      state\n      stateChangedAt\n      lastHeartbeatAt\n      lastSeenAt\n      goneAt\n      connectors {\n        connectorId\n        status\n        errorCode\n        errorInfo\n        statusAt\n        maxPowerKw\n      }\n      statusTimeline(days: 7) {\n        connectorId\n        status\n        errorCode\n        from\n        to\n      }\n      uptime {\n        connectorId\n        last7Days\n        last30Days\n      }\n      recentFaults {\n        id\n        connectorId\n        errorCode\n        errorInfo\n        at\n        suggestedCommand\n      }\n      recentCommands {\n        id\n        ...CommandRow_Command\n      }\n      recentReservations {\n        id\n        connectorNumber\n        idTag\n        status\n        startsAt\n        expiresAt\n        card {\n          id\n          publicId\n        }\n      }\n    }\n  }\n": types.ChargerDetailPageDocument,
    "\n  subscription ChargerDetailStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n": types.ChargerDetailStateChangedDocument,
    "\n  query ChargerDetailSessions($search: String!) {\n    operatorSessions(first: 10, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          status\n          connectorNumber\n          startedAt\n          stoppedAt\n          energyKwh\n          idTag\n          card {\n            id\n            publicId\n          }\n        }\n      }\n    }\n  }\n": types.ChargerDetailSessionsDocument,
    "\n  fragment ChargerRow_Charger on Charger {\n    id\n    chargeBoxId\n    name\n    vendor\n    model\n    state\n    lastHeartbeatAt\n    lastSeenAt\n    goneAt\n    connectors {\n      connectorId\n    }\n  }\n": types.ChargerRow_ChargerFragmentDoc,
    "\n  query ChargersPage($after: String) {\n    chargers(first: 25, after: $after, includeGone: true) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...ChargerRow_Charger\n        }\n      }\n    }\n  }\n": types.ChargersPageDocument,
    "\n  query ChargingProfilesCard {\n    chargingProfiles {\n      profileId\n      description\n      purpose\n      stackLevel\n      chargingRateUnit\n    }\n  }\n": types.ChargingProfilesCardDocument,
    "\n  query ChargingProfilesCardSchedule($chargerId: ID!, $connectorNumber: Int) {\n    compositeSchedule(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      status\n      reason\n      scheduleStart\n      chargingRateUnit\n      periods {\n        startPeriodSeconds\n        limit\n      }\n    }\n  }\n": types.ChargingProfilesCardScheduleDocument,
    "\n  mutation ChargingProfilesCardSet($chargerId: ID!, $chargingProfileId: Int!, $connectorNumber: Int) {\n    setChargingProfile(\n      chargerId: $chargerId\n      chargingProfileId: $chargingProfileId\n      connectorNumber: $connectorNumber\n    ) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ChargingProfilesCardSetDocument,
    "\n  mutation ChargingProfilesCardClear($chargerId: ID!, $chargingProfileId: Int!) {\n    clearChargingProfile(chargerId: $chargerId, chargingProfileId: $chargingProfileId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ChargingProfilesCardClearDocument,
    "\n  fragment CommandRow_Command on ChargerCommand {\n    id\n    kind\n    status\n    connectorNumber\n    parameters\n    answer\n    reason\n    requestedBy\n    createdAt\n    decidedAt\n  }\n": types.CommandRow_CommandFragmentDoc,
    "\n  subscription CommandPanelCommandUpdated($id: ID!) {\n    chargerCommandUpdated(id: $id) {\n      ...CommandRow_Command\n    }\n  }\n": types.CommandPanelCommandUpdatedDocument,
    "\n  mutation CommandPanelReset($chargerId: ID!, $type: ResetType!) {\n    resetCharger(chargerId: $chargerId, type: $type) {\n      __typename\n      ... on ResetChargerSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CommandPanelResetDocument,
    "\n  mutation CommandPanelUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n      ... on UnlockConnectorSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CommandPanelUnlockDocument,
    "\n  mutation CommandPanelAvailability($chargerId: ID!, $connectorNumber: Int, $available: Boolean!) {\n    changeAvailability(chargerId: $chargerId, connectorNumber: $connectorNumber, available: $available) {\n      __typename\n      ... on ChangeAvailabilitySuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CommandPanelAvailabilityDocument,
    "\n  mutation CommandPanelTrigger($chargerId: ID!, $message: TriggerMessageKind!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: $message, connectorNumber: $connectorNumber) {\n      __typename\n      ... on TriggerMessageSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.CommandPanelTriggerDocument,
    "\n  query ChargerConfigurationCard($chargerId: ID!) {\n    chargerConfiguration(chargerId: $chargerId) {\n      status\n      reason\n      keys {\n        key\n        value\n        readonly\n      }\n      unknownKeys\n    }\n  }\n": types.ChargerConfigurationCardDocument,
    "\n  mutation ChargerConfigurationChange($chargerId: ID!, $key: String!, $value: String!) {\n    changeConfiguration(chargerId: $chargerId, key: $key, value: $value) {\n      __typename\n      ... on ChangeConfigurationSuccess {\n        command {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.ChargerConfigurationChangeDocument,
    "\n  mutation OneClickFixReset($chargerId: ID!) {\n    resetCharger(chargerId: $chargerId, type: SOFT) {\n      __typename\n    }\n  }\n": types.OneClickFixResetDocument,
    "\n  mutation OneClickFixUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n": types.OneClickFixUnlockDocument,
    "\n  mutation OneClickFixTrigger($chargerId: ID!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: STATUS_NOTIFICATION, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n": types.OneClickFixTriggerDocument,
    "\n  fragment ActiveSessionBanner_Session on ChargingSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n  }\n": types.ActiveSessionBanner_SessionFragmentDoc,
    "\n  mutation StopCharging($sessionId: ID!) {\n    stopCharging(sessionId: $sessionId) {\n      __typename\n      ... on StopChargingSuccess {\n        session {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.StopChargingDocument,
    "\n  fragment ChargerCard_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n    connectorCount\n    freeConnectorCount\n    site {\n      name\n      address\n      latitude\n      longitude\n    }\n    connectors {\n      connectorId\n      status\n      connectorType\n      ratedPowerKw\n    }\n  }\n": types.ChargerCard_ChargerFragmentDoc,
    "\n  query DriverViewer {\n    viewer {\n      id\n      name\n      status\n      impersonatedBy {\n        email\n      }\n      cards {\n        publicId\n        status\n        isPrimary\n      }\n    }\n    activeReservation {\n      id\n      expiresAt\n      connectorNumber\n      charger {\n        id\n        name\n      }\n    }\n  }\n": types.DriverViewerDocument,
    "\n  query DriverTariff {\n    tariff {\n      ...Price_Tariff\n    }\n  }\n": types.DriverTariffDocument,
    "\n  query DriverChargers($after: String, $search: String, $connectorType: ConnectorType, $freeNow: Boolean) {\n    chargers(first: 20, after: $after, search: $search, connectorType: $connectorType, freeNow: $freeNow) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        ...ChargerCard_Charger\n      }\n    }\n  }\n": types.DriverChargersDocument,
    "\n  query DriverHistory {\n    sessions(first: 10) {\n      edges {\n        node {\n          id\n          ...RecentSessionRow_Session\n        }\n      }\n    }\n    usage {\n      ...UsageCard_Usage\n    }\n  }\n": types.DriverHistoryDocument,
    "\n  subscription DriverActiveSession {\n    activeSession {\n      id\n      ...ActiveSessionBanner_Session\n    }\n  }\n": types.DriverActiveSessionDocument,
    "\n  subscription DriverChargerStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n": types.DriverChargerStateChangedDocument,
    "\n  query DriverSession($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on ChargingSession {\n        status\n        startedAt\n        stoppedAt\n        energyKwh\n        durationSeconds\n        stopReason\n        cost {\n          amount\n          currency\n        }\n        charger {\n          id\n          name\n          chargeBoxId\n        }\n        card {\n          publicId\n        }\n        curve {\n          at\n          energyKwh\n          powerKw\n        }\n      }\n    }\n  }\n": types.DriverSessionDocument,
    "\n  subscription DriverNotifications {\n    driverNotifications {\n      id\n      kind\n      message\n      chargerName\n    }\n  }\n": types.DriverNotificationsDocument,
    "\n  fragment PickChargerOption_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n  }\n": types.PickChargerOption_ChargerFragmentDoc,
    "\n  query PickCharger {\n    tariff {\n      ...Price_Tariff\n    }\n    chargers(first: 50) {\n      edges {\n        node {\n          id\n          ...PickChargerOption_Charger\n        }\n      }\n    }\n  }\n": types.PickChargerDocument,
    "\n  mutation StartCharging($chargerId: ID!) {\n    startCharging(chargerId: $chargerId) {\n      __typename\n      ... on StartChargingSuccess {\n        startRequest {\n          id\n          outcome\n          message\n          session {\n            id\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.StartChargingDocument,
    "\n  subscription StartRequestUpdated($id: ID!) {\n    startRequestUpdated(id: $id) {\n      id\n      outcome\n      message\n      session {\n        id\n      }\n    }\n  }\n": types.StartRequestUpdatedDocument,
    "\n  fragment Price_Tariff on Tariff {\n    currency\n    model\n    tiers {\n      toKwh\n      unitPrice\n      flatFee\n    }\n  }\n": types.Price_TariffFragmentDoc,
    "\n  fragment RecentSessionRow_Session on ChargingSession {\n    id\n    status\n    startedAt\n    energyKwh\n    durationSeconds\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n    card {\n      publicId\n    }\n  }\n": types.RecentSessionRow_SessionFragmentDoc,
    "\n  mutation ReserveCharger($chargerId: ID!) {\n    reserveCharger(chargerId: $chargerId) {\n      __typename\n      ... on Reservation {\n        id\n        expiresAt\n      }\n      ... on NoActiveCardError {\n        message\n      }\n      ... on AccountInactiveError {\n        message\n      }\n      ... on ChargerUnavailableError {\n        message\n      }\n      ... on AlreadyReservedError {\n        message\n      }\n      ... on ReservationRejectedError {\n        message\n      }\n    }\n  }\n": types.ReserveChargerDocument,
    "\n  mutation CancelReservation($id: ID!) {\n    cancelReservation(id: $id) {\n      __typename\n      ... on Reservation {\n        id\n        status\n      }\n      ... on ReservationNotFoundError {\n        message\n      }\n      ... on ReservationCancelFailedError {\n        message\n      }\n    }\n  }\n": types.CancelReservationDocument,
    "\n  fragment UsageCard_Usage on DriverUsage {\n    weekKwh\n    weekSessions\n    monthKwh\n    monthSessions\n    billingPeriod {\n      from\n      to\n      kwh\n      amountCents\n      currency\n    }\n    billingAvailability\n  }\n": types.UsageCard_UsageFragmentDoc,
    "\n  fragment DriverRow_User on User {\n    id\n    email\n    name\n    status\n    createdAt\n    authUserId\n  }\n": types.DriverRow_UserFragmentDoc,
    "\n  query DriversPage($search: String, $after: String) {\n    drivers(first: 25, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...DriverRow_User\n        }\n      }\n    }\n  }\n": types.DriversPageDocument,
    "\n  mutation DriversPageCreate($input: CreateDriverInput!) {\n    createDriver(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.DriversPageCreateDocument,
    "\n  mutation DriversPageSetStatus($id: ID!, $status: AccountStatus!) {\n    setDriverStatus(id: $id, status: $status) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.DriversPageSetStatusDocument,
    "\n  mutation DriversPageResetPassword($id: ID!, $password: String!) {\n    resetDriverPassword(id: $id, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n": types.DriversPageResetPasswordDocument,
    "\n  query InsightsEnergy($bucket: EnergyBucket!) {\n    insightsEnergy(bucket: $bucket) {\n      bucket\n      kwh\n      sessions\n    }\n  }\n": types.InsightsEnergyDocument,
    "\n  query InsightsSessionsByHour {\n    insightsSessionsByHour(days: 30) {\n      hour\n      sessions\n    }\n  }\n": types.InsightsSessionsByHourDocument,
    "\n  query InsightsUtilisation($days: Int!) {\n    insightsUtilisation(days: $days) {\n      chargeBoxId\n      name\n      share\n      rank\n    }\n  }\n": types.InsightsUtilisationDocument,
    "\n  query InsightsSyncRuns {\n    insightsSyncRuns {\n      bucket\n      runs\n      failed\n      meanDurationMs\n      maxDurationMs\n      changes\n    }\n  }\n": types.InsightsSyncRunsDocument,
    "\n  query InsightsBilling {\n    insightsBilling {\n      day\n      sent\n      waiting\n      refused\n    }\n  }\n": types.InsightsBillingDocument,
    "\n  fragment SessionRow_Session on OperatorSession {\n    status\n    connectorNumber\n    idTag\n    startedAt\n    stoppedAt\n    energyKwh\n    charger {\n      name\n    }\n    card {\n      publicId\n    }\n    driver {\n      email\n    }\n  }\n": types.SessionRow_SessionFragmentDoc,
    "\n  query SessionsPage($filter: OperatorSessionFilter, $after: String) {\n    operatorSessions(first: 20, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...SessionRow_Session\n        }\n      }\n    }\n  }\n": types.SessionsPageDocument,
    "\n  fragment DeploymentModeNotice_ServerInfo on ServerInfo {\n    demo\n    steveMode\n    lagoMode\n  }\n": types.DeploymentModeNotice_ServerInfoFragmentDoc,
    "\n  fragment WebhookEndpointRow_WebhookEndpoint on WebhookEndpoint {\n    id\n    url\n    description\n    events\n    status\n    disabledReason\n    failingSince\n    previousSecretExpiresAt\n    pendingCount\n    createdAt\n  }\n": types.WebhookEndpointRow_WebhookEndpointFragmentDoc,
    "\n  query WebhooksPage($after: String) {\n    webhookEventTypes {\n      name\n      description\n    }\n    webhookEndpoints(first: 25, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...WebhookEndpointRow_WebhookEndpoint\n        }\n      }\n    }\n  }\n": types.WebhooksPageDocument,
    "\n  query WebhookDeliveries($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookEndpoint {\n        deliveries(first: 20) {\n          totalCount\n          nodes {\n            id\n            status\n            eventType\n            eventNumber\n            attempts\n            responseStatus\n            latencyMs\n            lastError\n            nextAttemptAt\n            createdAt\n          }\n        }\n      }\n    }\n  }\n": types.WebhookDeliveriesDocument,
    "\n  mutation CreateWebhookEndpoint($url: String!, $events: [String!], $description: String) {\n    createWebhookEndpoint(url: $url, events: $events, description: $description) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n": types.CreateWebhookEndpointDocument,
    "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n": types.RotateWebhookSecretDocument,
    "\n  mutation PauseWebhookEndpoint($id: ID!) {\n    pauseWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n": types.PauseWebhookEndpointDocument,
    "\n  mutation ResumeWebhookEndpoint($id: ID!) {\n    resumeWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n": types.ResumeWebhookEndpointDocument,
    "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n": types.DeleteWebhookEndpointDocument,
    "\n  mutation ResendWebhookDelivery($id: ID!) {\n    resendWebhookDelivery(id: $id) {\n      id\n      status\n    }\n  }\n": types.ResendWebhookDeliveryDocument,
    "\n  mutation ReplayWebhookEvents($id: ID!, $from: String!) {\n    replayWebhookEvents(endpointId: $id, fromEvent: $from)\n  }\n": types.ReplayWebhookEventsDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AdminDashboardPage {\n    adminDashboard {\n      welcome\n      chargersOnline\n      chargersTotal\n      unreadAlerts\n      syncSchedule {\n        nextRunAt\n        ...SyncCard_Schedule\n      }\n      activeSyncRun {\n        ...SyncCard_Run\n      }\n      liveSessions {\n        ...LiveNowCard_Session\n      }\n      weeklyFigures {\n        ...ThisWeekCard_Figures\n      }\n      health {\n        warnings {\n          code\n          message\n        }\n      }\n    }\n    changeCapture {\n      ...SyncCard_ChangeCapture\n    }\n    syncRuns(first: 1) {\n      edges {\n        node {\n          id\n          ...SyncCard_Run\n        }\n      }\n    }\n    serverInfo {\n      lagoMode\n    }\n  }\n"): (typeof documents)["\n  query AdminDashboardPage {\n    adminDashboard {\n      welcome\n      chargersOnline\n      chargersTotal\n      unreadAlerts\n      syncSchedule {\n        nextRunAt\n        ...SyncCard_Schedule\n      }\n      activeSyncRun {\n        ...SyncCard_Run\n      }\n      liveSessions {\n        ...LiveNowCard_Session\n      }\n      weeklyFigures {\n        ...ThisWeekCard_Figures\n      }\n      health {\n        warnings {\n          code\n          message\n        }\n      }\n    }\n    changeCapture {\n      ...SyncCard_ChangeCapture\n    }\n    syncRuns(first: 1) {\n      edges {\n        node {\n          id\n          ...SyncCard_Run\n        }\n      }\n    }\n    serverInfo {\n      lagoMode\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription AdminDashboardChargerChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  subscription AdminDashboardChargerChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DemoPanelSandboxStatus {\n    lagoSandboxStatus {\n      down\n      pendingEvents\n    }\n  }\n"): (typeof documents)["\n  query DemoPanelSandboxStatus {\n    lagoSandboxStatus {\n      down\n      pendingEvents\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DemoPanelSetLagoSandboxFault($down: Boolean!) {\n    setLagoSandboxFault(down: $down) {\n      __typename\n      ... on MutationSetLagoSandboxFaultSuccess {\n        data {\n          down\n          pendingEvents\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DemoPanelSetLagoSandboxFault($down: Boolean!) {\n    setLagoSandboxFault(down: $down) {\n      __typename\n      ... on MutationSetLagoSandboxFaultSuccess {\n        data {\n          down\n          pendingEvents\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment HealthCard_Health on OperatorHealth {\n    checkedAt\n    healthy\n    warnings {\n      source\n      code\n      severity\n      message\n      count\n    }\n  }\n"): (typeof documents)["\n  fragment HealthCard_Health on OperatorHealth {\n    checkedAt\n    healthy\n    warnings {\n      source\n      code\n      severity\n      message\n      count\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query HealthCard {\n    operatorHealth {\n      ...HealthCard_Health\n    }\n  }\n"): (typeof documents)["\n  query HealthCard {\n    operatorHealth {\n      ...HealthCard_Health\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment LiveNowCard_Session on OperatorSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    connectorNumber\n    idTag\n    charger {\n      id\n      name\n    }\n    card {\n      id\n      publicId\n    }\n    driver {\n      id\n      name\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment LiveNowCard_Session on OperatorSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    connectorNumber\n    idTag\n    charger {\n      id\n      name\n    }\n    card {\n      id\n      publicId\n    }\n    driver {\n      id\n      name\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription LiveNowCardLiveSessions {\n    liveSessions {\n      ...LiveNowCard_Session\n    }\n  }\n"): (typeof documents)["\n  subscription LiveNowCardLiveSessions {\n    liveSessions {\n      ...LiveNowCard_Session\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncCard_Schedule on SyncSchedule {\n    tier\n    nextRunAt\n    interval\n    consecutiveFailures\n    lastSuccessAt\n  }\n"): (typeof documents)["\n  fragment SyncCard_Schedule on SyncSchedule {\n    tier\n    nextRunAt\n    interval\n    consecutiveFailures\n    lastSuccessAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncCard_Run on SyncRun {\n    id\n    status\n    trigger\n    tier\n    startedAt\n    finishedAt\n    segments {\n      kind\n      status\n      processed\n      total\n    }\n  }\n"): (typeof documents)["\n  fragment SyncCard_Run on SyncRun {\n    id\n    status\n    trigger\n    tier\n    startedAt\n    finishedAt\n    segments {\n      kind\n      status\n      processed\n      total\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription SyncCardProgress {\n    syncRunProgress {\n      ...SyncCard_Run\n    }\n  }\n"): (typeof documents)["\n  subscription SyncCardProgress {\n    syncRunProgress {\n      ...SyncCard_Run\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SyncCardTriggerSync {\n    triggerSync {\n      ...SyncCard_Schedule\n    }\n  }\n"): (typeof documents)["\n  mutation SyncCardTriggerSync {\n    triggerSync {\n      ...SyncCard_Schedule\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SyncCard_ChangeCapture on ChangeCapture {\n    status\n    streaming\n    problem\n    lagMs\n    lastAppliedAt\n  }\n"): (typeof documents)["\n  fragment SyncCard_ChangeCapture on ChangeCapture {\n    status\n    streaming\n    problem\n    lagMs\n    lastAppliedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ThisWeekCard_Figures on WeeklyFigures {\n    kwhDelivered\n    syncRuns\n    cardsActivated\n    reservationsCompleted\n  }\n"): (typeof documents)["\n  fragment ThisWeekCard_Figures on WeeklyFigures {\n    kwhDelivered\n    syncRuns\n    cardsActivated\n    reservationsCompleted\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AlertRow_Alert on Alert {\n    id\n    severity\n    kind\n    message\n    subjectType\n    subjectId\n    createdAt\n    readAt\n    charger {\n      id\n      name\n    }\n    suggestedCommand {\n      kind\n      connectorNumber\n    }\n  }\n"): (typeof documents)["\n  fragment AlertRow_Alert on Alert {\n    id\n    severity\n    kind\n    message\n    subjectType\n    subjectId\n    createdAt\n    readAt\n    charger {\n      id\n      name\n    }\n    suggestedCommand {\n      kind\n      connectorNumber\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AlertsPage($unreadOnly: Boolean, $after: String) {\n    unreadAlertCount\n    alerts(first: 20, after: $after, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AlertRow_Alert\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AlertsPage($unreadOnly: Boolean, $after: String) {\n    unreadAlertCount\n    alerts(first: 20, after: $after, unreadOnly: $unreadOnly) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AlertRow_Alert\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AlertsPageMarkRead($id: ID!) {\n    markAlertRead(id: $id) {\n      id\n      readAt\n    }\n  }\n"): (typeof documents)["\n  mutation AlertsPageMarkRead($id: ID!) {\n    markAlertRead(id: $id) {\n      id\n      readAt\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription UnreadAlertCount {\n    unreadAlertCount\n  }\n"): (typeof documents)["\n  subscription UnreadAlertCount {\n    unreadAlertCount\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ApiDocsEventTypes {\n    webhookEventTypes {\n      name\n      description\n      example\n    }\n  }\n"): (typeof documents)["\n  query ApiDocsEventTypes {\n    webhookEventTypes {\n      name\n      description\n      example\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment AuditRow_Event on AuditEvent {\n    id\n    at\n    action\n    actorEmail\n    actorId\n    impersonatorId\n    subjectType\n    subjectId\n    before\n    after\n  }\n"): (typeof documents)["\n  fragment AuditRow_Event on AuditEvent {\n    id\n    at\n    action\n    actorEmail\n    actorId\n    impersonatorId\n    subjectType\n    subjectId\n    before\n    after\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query AuditLogPage($subjectId: String, $actor: String, $after: String) {\n    auditEvents(first: 25, after: $after, subjectId: $subjectId, actor: $actor) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AuditRow_Event\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query AuditLogPage($subjectId: String, $actor: String, $after: String) {\n    auditEvents(first: 25, after: $after, subjectId: $subjectId, actor: $actor) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...AuditRow_Event\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SignInPage {\n    serverInfo {\n      version\n      ...DeploymentModeNotice_ServerInfo\n    }\n  }\n"): (typeof documents)["\n  query SignInPage {\n    serverInfo {\n      version\n      ...DeploymentModeNotice_ServerInfo\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query CustomerPicker($search: String) {\n    lagoCustomers(search: $search, perPage: 8) {\n      __typename\n      ... on QueryLagoCustomersSuccess {\n        data {\n          totalCount\n          nodes {\n            externalId\n            name\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  query CustomerPicker($search: String) {\n    lagoCustomers(search: $search, perPage: 8) {\n      __typename\n      ... on QueryLagoCustomersSuccess {\n        data {\n          totalCount\n          nodes {\n            externalId\n            name\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CustomerPickerMap($cardId: ID!, $externalId: String!) {\n    mapCardToCustomer(cardId: $cardId, customerExternalId: $externalId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CustomerPickerMap($cardId: ID!, $externalId: String!) {\n    mapCardToCustomer(cardId: $cardId, customerExternalId: $externalId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CustomerPickerCreate($input: CreateLagoCustomerInput!) {\n    createLagoCustomer(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CustomerPickerCreate($input: CreateLagoCustomerInput!) {\n    createLagoCustomer(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EvCardDetailPage($publicId: String!) {\n    evCard(publicId: $publicId) {\n      id\n      publicId\n      idTag\n      label\n      status\n      origin\n      isPrimary\n      activatedAt\n      disabledAt\n      createdAt\n      owner {\n        id\n        email\n        name\n      }\n      customer {\n        id\n        name\n        externalId\n        email\n      }\n      ...MappingHistory_Card\n    }\n    drivers(first: 25) {\n      edges {\n        node {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EvCardDetailPage($publicId: String!) {\n    evCard(publicId: $publicId) {\n      id\n      publicId\n      idTag\n      label\n      status\n      origin\n      isPrimary\n      activatedAt\n      disabledAt\n      createdAt\n      owner {\n        id\n        email\n        name\n      }\n      customer {\n        id\n        name\n        externalId\n        email\n      }\n      ...MappingHistory_Card\n    }\n    drivers(first: 25) {\n      edges {\n        node {\n          id\n          email\n          name\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EvCardActivate($publicId: String!) {\n    activateCard(publicId: $publicId) {\n      __typename\n      ... on MutationActivateCardSuccess {\n        data {\n          id\n          status\n          activatedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EvCardActivate($publicId: String!) {\n    activateCard(publicId: $publicId) {\n      __typename\n      ... on MutationActivateCardSuccess {\n        data {\n          id\n          status\n          activatedAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EvCardDisable($publicId: String!) {\n    disableCard(publicId: $publicId) {\n      __typename\n      ... on MutationDisableCardSuccess {\n        data {\n          id\n          status\n          isPrimary\n          disabledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EvCardDisable($publicId: String!) {\n    disableCard(publicId: $publicId) {\n      __typename\n      ... on MutationDisableCardSuccess {\n        data {\n          id\n          status\n          isPrimary\n          disabledAt\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EvCardSetPrimary($publicId: String!) {\n    setPrimaryCard(publicId: $publicId) {\n      __typename\n      ... on MutationSetPrimaryCardSuccess {\n        data {\n          id\n          isPrimary\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EvCardSetPrimary($publicId: String!) {\n    setPrimaryCard(publicId: $publicId) {\n      __typename\n      ... on MutationSetPrimaryCardSuccess {\n        data {\n          id\n          isPrimary\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EvCardAssign($publicId: String!, $driverId: ID!) {\n    assignCard(publicId: $publicId, driverId: $driverId) {\n      __typename\n      ... on MutationAssignCardSuccess {\n        data {\n          id\n          isPrimary\n          owner {\n            id\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EvCardAssign($publicId: String!, $driverId: ID!) {\n    assignCard(publicId: $publicId, driverId: $driverId) {\n      __typename\n      ... on MutationAssignCardSuccess {\n        data {\n          id\n          isPrimary\n          owner {\n            id\n            email\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment EvCardRow_Card on EvCard {\n    publicId\n    idTag\n    label\n    status\n    origin\n    isPrimary\n    activatedAt\n    owner {\n      email\n    }\n    customer {\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment EvCardRow_Card on EvCard {\n    publicId\n    idTag\n    label\n    status\n    origin\n    isPrimary\n    activatedAt\n    owner {\n      email\n    }\n    customer {\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query EvCardsPage($search: String, $status: EvCardStatus, $after: String) {\n    evCards(first: 25, after: $after, search: $search, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...EvCardRow_Card\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query EvCardsPage($search: String, $status: EvCardStatus, $after: String) {\n    evCards(first: 25, after: $after, search: $search, status: $status) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...EvCardRow_Card\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation EvCardsPageCreateCard($idTag: String!, $label: String) {\n    createCard(idTag: $idTag, label: $label) {\n      __typename\n      ... on MutationCreateCardSuccess {\n        data {\n          id\n          publicId\n        }\n      }\n      ... on InvalidCardInputError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation EvCardsPageCreateCard($idTag: String!, $label: String) {\n    createCard(idTag: $idTag, label: $label) {\n      __typename\n      ... on MutationCreateCardSuccess {\n        data {\n          id\n          publicId\n        }\n      }\n      ... on InvalidCardInputError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment MappingHistory_Card on EvCard {\n    customerMappings {\n      id\n      current\n      startedAt\n      endedAt\n      customer {\n        id\n        name\n        externalId\n      }\n      actor {\n        id\n        email\n      }\n    }\n  }\n"): (typeof documents)["\n  fragment MappingHistory_Card on EvCard {\n    customerMappings {\n      id\n      current\n      startedAt\n      endedAt\n      customer {\n        id\n        name\n        externalId\n      }\n      actor {\n        id\n        email\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargerDetailPage($id: ID!) {\n    charger(id: $id) {\n      id\n      chargeBoxId\n      name\n      vendor\n      model\n      state\n      stateChangedAt\n      lastHeartbeatAt\n      lastSeenAt\n      goneAt\n      connectors {\n        connectorId\n        status\n        errorCode\n        errorInfo\n        statusAt\n        maxPowerKw\n      }\n      statusTimeline(days: 7) {\n        connectorId\n        status\n        errorCode\n        from\n        to\n      }\n      uptime {\n        connectorId\n        last7Days\n        last30Days\n      }\n      recentFaults {\n        id\n        connectorId\n        errorCode\n        errorInfo\n        at\n        suggestedCommand\n      }\n      recentCommands {\n        id\n        ...CommandRow_Command\n      }\n      recentReservations {\n        id\n        connectorNumber\n        idTag\n        status\n        startsAt\n        expiresAt\n        card {\n          id\n          publicId\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChargerDetailPage($id: ID!) {\n    charger(id: $id) {\n      id\n      chargeBoxId\n      name\n      vendor\n      model\n      state\n      stateChangedAt\n      lastHeartbeatAt\n      lastSeenAt\n      goneAt\n      connectors {\n        connectorId\n        status\n        errorCode\n        errorInfo\n        statusAt\n        maxPowerKw\n      }\n      statusTimeline(days: 7) {\n        connectorId\n        status\n        errorCode\n        from\n        to\n      }\n      uptime {\n        connectorId\n        last7Days\n        last30Days\n      }\n      recentFaults {\n        id\n        connectorId\n        errorCode\n        errorInfo\n        at\n        suggestedCommand\n      }\n      recentCommands {\n        id\n        ...CommandRow_Command\n      }\n      recentReservations {\n        id\n        connectorNumber\n        idTag\n        status\n        startsAt\n        expiresAt\n        card {\n          id\n          publicId\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription ChargerDetailStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  subscription ChargerDetailStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargerDetailSessions($search: String!) {\n    operatorSessions(first: 10, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          status\n          connectorNumber\n          startedAt\n          stoppedAt\n          energyKwh\n          idTag\n          card {\n            id\n            publicId\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChargerDetailSessions($search: String!) {\n    operatorSessions(first: 10, filter: { search: $search }) {\n      edges {\n        node {\n          id\n          status\n          connectorNumber\n          startedAt\n          stoppedAt\n          energyKwh\n          idTag\n          card {\n            id\n            publicId\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChargerRow_Charger on Charger {\n    id\n    chargeBoxId\n    name\n    vendor\n    model\n    state\n    lastHeartbeatAt\n    lastSeenAt\n    goneAt\n    connectors {\n      connectorId\n    }\n  }\n"): (typeof documents)["\n  fragment ChargerRow_Charger on Charger {\n    id\n    chargeBoxId\n    name\n    vendor\n    model\n    state\n    lastHeartbeatAt\n    lastSeenAt\n    goneAt\n    connectors {\n      connectorId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargersPage($after: String) {\n    chargers(first: 25, after: $after, includeGone: true) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...ChargerRow_Charger\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChargersPage($after: String) {\n    chargers(first: 25, after: $after, includeGone: true) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...ChargerRow_Charger\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargingProfilesCard {\n    chargingProfiles {\n      profileId\n      description\n      purpose\n      stackLevel\n      chargingRateUnit\n    }\n  }\n"): (typeof documents)["\n  query ChargingProfilesCard {\n    chargingProfiles {\n      profileId\n      description\n      purpose\n      stackLevel\n      chargingRateUnit\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargingProfilesCardSchedule($chargerId: ID!, $connectorNumber: Int) {\n    compositeSchedule(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      status\n      reason\n      scheduleStart\n      chargingRateUnit\n      periods {\n        startPeriodSeconds\n        limit\n      }\n    }\n  }\n"): (typeof documents)["\n  query ChargingProfilesCardSchedule($chargerId: ID!, $connectorNumber: Int) {\n    compositeSchedule(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      status\n      reason\n      scheduleStart\n      chargingRateUnit\n      periods {\n        startPeriodSeconds\n        limit\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChargingProfilesCardSet($chargerId: ID!, $chargingProfileId: Int!, $connectorNumber: Int) {\n    setChargingProfile(\n      chargerId: $chargerId\n      chargingProfileId: $chargingProfileId\n      connectorNumber: $connectorNumber\n    ) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChargingProfilesCardSet($chargerId: ID!, $chargingProfileId: Int!, $connectorNumber: Int) {\n    setChargingProfile(\n      chargerId: $chargerId\n      chargingProfileId: $chargingProfileId\n      connectorNumber: $connectorNumber\n    ) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChargingProfilesCardClear($chargerId: ID!, $chargingProfileId: Int!) {\n    clearChargingProfile(chargerId: $chargerId, chargingProfileId: $chargingProfileId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChargingProfilesCardClear($chargerId: ID!, $chargingProfileId: Int!) {\n    clearChargingProfile(chargerId: $chargerId, chargingProfileId: $chargingProfileId) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment CommandRow_Command on ChargerCommand {\n    id\n    kind\n    status\n    connectorNumber\n    parameters\n    answer\n    reason\n    requestedBy\n    createdAt\n    decidedAt\n  }\n"): (typeof documents)["\n  fragment CommandRow_Command on ChargerCommand {\n    id\n    kind\n    status\n    connectorNumber\n    parameters\n    answer\n    reason\n    requestedBy\n    createdAt\n    decidedAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription CommandPanelCommandUpdated($id: ID!) {\n    chargerCommandUpdated(id: $id) {\n      ...CommandRow_Command\n    }\n  }\n"): (typeof documents)["\n  subscription CommandPanelCommandUpdated($id: ID!) {\n    chargerCommandUpdated(id: $id) {\n      ...CommandRow_Command\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CommandPanelReset($chargerId: ID!, $type: ResetType!) {\n    resetCharger(chargerId: $chargerId, type: $type) {\n      __typename\n      ... on ResetChargerSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CommandPanelReset($chargerId: ID!, $type: ResetType!) {\n    resetCharger(chargerId: $chargerId, type: $type) {\n      __typename\n      ... on ResetChargerSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CommandPanelUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n      ... on UnlockConnectorSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CommandPanelUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n      ... on UnlockConnectorSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CommandPanelAvailability($chargerId: ID!, $connectorNumber: Int, $available: Boolean!) {\n    changeAvailability(chargerId: $chargerId, connectorNumber: $connectorNumber, available: $available) {\n      __typename\n      ... on ChangeAvailabilitySuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CommandPanelAvailability($chargerId: ID!, $connectorNumber: Int, $available: Boolean!) {\n    changeAvailability(chargerId: $chargerId, connectorNumber: $connectorNumber, available: $available) {\n      __typename\n      ... on ChangeAvailabilitySuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CommandPanelTrigger($chargerId: ID!, $message: TriggerMessageKind!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: $message, connectorNumber: $connectorNumber) {\n      __typename\n      ... on TriggerMessageSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CommandPanelTrigger($chargerId: ID!, $message: TriggerMessageKind!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: $message, connectorNumber: $connectorNumber) {\n      __typename\n      ... on TriggerMessageSuccess {\n        command {\n          id\n          ...CommandRow_Command\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ChargerConfigurationCard($chargerId: ID!) {\n    chargerConfiguration(chargerId: $chargerId) {\n      status\n      reason\n      keys {\n        key\n        value\n        readonly\n      }\n      unknownKeys\n    }\n  }\n"): (typeof documents)["\n  query ChargerConfigurationCard($chargerId: ID!) {\n    chargerConfiguration(chargerId: $chargerId) {\n      status\n      reason\n      keys {\n        key\n        value\n        readonly\n      }\n      unknownKeys\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ChargerConfigurationChange($chargerId: ID!, $key: String!, $value: String!) {\n    changeConfiguration(chargerId: $chargerId, key: $key, value: $value) {\n      __typename\n      ... on ChangeConfigurationSuccess {\n        command {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ChargerConfigurationChange($chargerId: ID!, $key: String!, $value: String!) {\n    changeConfiguration(chargerId: $chargerId, key: $key, value: $value) {\n      __typename\n      ... on ChangeConfigurationSuccess {\n        command {\n          id\n          status\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OneClickFixReset($chargerId: ID!) {\n    resetCharger(chargerId: $chargerId, type: SOFT) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation OneClickFixReset($chargerId: ID!) {\n    resetCharger(chargerId: $chargerId, type: SOFT) {\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OneClickFixUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation OneClickFixUnlock($chargerId: ID!, $connectorNumber: Int!) {\n    unlockConnector(chargerId: $chargerId, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation OneClickFixTrigger($chargerId: ID!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: STATUS_NOTIFICATION, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n"): (typeof documents)["\n  mutation OneClickFixTrigger($chargerId: ID!, $connectorNumber: Int) {\n    triggerMessage(chargerId: $chargerId, message: STATUS_NOTIFICATION, connectorNumber: $connectorNumber) {\n      __typename\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ActiveSessionBanner_Session on ChargingSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n  }\n"): (typeof documents)["\n  fragment ActiveSessionBanner_Session on ChargingSession {\n    id\n    energyKwh\n    powerKw\n    startedAt\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StopCharging($sessionId: ID!) {\n    stopCharging(sessionId: $sessionId) {\n      __typename\n      ... on StopChargingSuccess {\n        session {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StopCharging($sessionId: ID!) {\n    stopCharging(sessionId: $sessionId) {\n      __typename\n      ... on StopChargingSuccess {\n        session {\n          id\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ChargerCard_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n    connectorCount\n    freeConnectorCount\n    site {\n      name\n      address\n      latitude\n      longitude\n    }\n    connectors {\n      connectorId\n      status\n      connectorType\n      ratedPowerKw\n    }\n  }\n"): (typeof documents)["\n  fragment ChargerCard_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n    connectorCount\n    freeConnectorCount\n    site {\n      name\n      address\n      latitude\n      longitude\n    }\n    connectors {\n      connectorId\n      status\n      connectorType\n      ratedPowerKw\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriverViewer {\n    viewer {\n      id\n      name\n      status\n      impersonatedBy {\n        email\n      }\n      cards {\n        publicId\n        status\n        isPrimary\n      }\n    }\n    activeReservation {\n      id\n      expiresAt\n      connectorNumber\n      charger {\n        id\n        name\n      }\n    }\n  }\n"): (typeof documents)["\n  query DriverViewer {\n    viewer {\n      id\n      name\n      status\n      impersonatedBy {\n        email\n      }\n      cards {\n        publicId\n        status\n        isPrimary\n      }\n    }\n    activeReservation {\n      id\n      expiresAt\n      connectorNumber\n      charger {\n        id\n        name\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriverTariff {\n    tariff {\n      ...Price_Tariff\n    }\n  }\n"): (typeof documents)["\n  query DriverTariff {\n    tariff {\n      ...Price_Tariff\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriverChargers($after: String, $search: String, $connectorType: ConnectorType, $freeNow: Boolean) {\n    chargers(first: 20, after: $after, search: $search, connectorType: $connectorType, freeNow: $freeNow) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        ...ChargerCard_Charger\n      }\n    }\n  }\n"): (typeof documents)["\n  query DriverChargers($after: String, $search: String, $connectorType: ConnectorType, $freeNow: Boolean) {\n    chargers(first: 20, after: $after, search: $search, connectorType: $connectorType, freeNow: $freeNow) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      nodes {\n        id\n        ...ChargerCard_Charger\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriverHistory {\n    sessions(first: 10) {\n      edges {\n        node {\n          id\n          ...RecentSessionRow_Session\n        }\n      }\n    }\n    usage {\n      ...UsageCard_Usage\n    }\n  }\n"): (typeof documents)["\n  query DriverHistory {\n    sessions(first: 10) {\n      edges {\n        node {\n          id\n          ...RecentSessionRow_Session\n        }\n      }\n    }\n    usage {\n      ...UsageCard_Usage\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DriverActiveSession {\n    activeSession {\n      id\n      ...ActiveSessionBanner_Session\n    }\n  }\n"): (typeof documents)["\n  subscription DriverActiveSession {\n    activeSession {\n      id\n      ...ActiveSessionBanner_Session\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DriverChargerStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n"): (typeof documents)["\n  subscription DriverChargerStateChanged {\n    chargerStateChanged {\n      id\n      state\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriverSession($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on ChargingSession {\n        status\n        startedAt\n        stoppedAt\n        energyKwh\n        durationSeconds\n        stopReason\n        cost {\n          amount\n          currency\n        }\n        charger {\n          id\n          name\n          chargeBoxId\n        }\n        card {\n          publicId\n        }\n        curve {\n          at\n          energyKwh\n          powerKw\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DriverSession($id: ID!) {\n    node(id: $id) {\n      __typename\n      id\n      ... on ChargingSession {\n        status\n        startedAt\n        stoppedAt\n        energyKwh\n        durationSeconds\n        stopReason\n        cost {\n          amount\n          currency\n        }\n        charger {\n          id\n          name\n          chargeBoxId\n        }\n        card {\n          publicId\n        }\n        curve {\n          at\n          energyKwh\n          powerKw\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription DriverNotifications {\n    driverNotifications {\n      id\n      kind\n      message\n      chargerName\n    }\n  }\n"): (typeof documents)["\n  subscription DriverNotifications {\n    driverNotifications {\n      id\n      kind\n      message\n      chargerName\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment PickChargerOption_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n  }\n"): (typeof documents)["\n  fragment PickChargerOption_Charger on Charger {\n    id\n    name\n    chargeBoxId\n    state\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query PickCharger {\n    tariff {\n      ...Price_Tariff\n    }\n    chargers(first: 50) {\n      edges {\n        node {\n          id\n          ...PickChargerOption_Charger\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query PickCharger {\n    tariff {\n      ...Price_Tariff\n    }\n    chargers(first: 50) {\n      edges {\n        node {\n          id\n          ...PickChargerOption_Charger\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation StartCharging($chargerId: ID!) {\n    startCharging(chargerId: $chargerId) {\n      __typename\n      ... on StartChargingSuccess {\n        startRequest {\n          id\n          outcome\n          message\n          session {\n            id\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation StartCharging($chargerId: ID!) {\n    startCharging(chargerId: $chargerId) {\n      __typename\n      ... on StartChargingSuccess {\n        startRequest {\n          id\n          outcome\n          message\n          session {\n            id\n          }\n        }\n      }\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  subscription StartRequestUpdated($id: ID!) {\n    startRequestUpdated(id: $id) {\n      id\n      outcome\n      message\n      session {\n        id\n      }\n    }\n  }\n"): (typeof documents)["\n  subscription StartRequestUpdated($id: ID!) {\n    startRequestUpdated(id: $id) {\n      id\n      outcome\n      message\n      session {\n        id\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment Price_Tariff on Tariff {\n    currency\n    model\n    tiers {\n      toKwh\n      unitPrice\n      flatFee\n    }\n  }\n"): (typeof documents)["\n  fragment Price_Tariff on Tariff {\n    currency\n    model\n    tiers {\n      toKwh\n      unitPrice\n      flatFee\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment RecentSessionRow_Session on ChargingSession {\n    id\n    status\n    startedAt\n    energyKwh\n    durationSeconds\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n    card {\n      publicId\n    }\n  }\n"): (typeof documents)["\n  fragment RecentSessionRow_Session on ChargingSession {\n    id\n    status\n    startedAt\n    energyKwh\n    durationSeconds\n    cost {\n      amount\n      currency\n    }\n    charger {\n      id\n      name\n    }\n    card {\n      publicId\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReserveCharger($chargerId: ID!) {\n    reserveCharger(chargerId: $chargerId) {\n      __typename\n      ... on Reservation {\n        id\n        expiresAt\n      }\n      ... on NoActiveCardError {\n        message\n      }\n      ... on AccountInactiveError {\n        message\n      }\n      ... on ChargerUnavailableError {\n        message\n      }\n      ... on AlreadyReservedError {\n        message\n      }\n      ... on ReservationRejectedError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation ReserveCharger($chargerId: ID!) {\n    reserveCharger(chargerId: $chargerId) {\n      __typename\n      ... on Reservation {\n        id\n        expiresAt\n      }\n      ... on NoActiveCardError {\n        message\n      }\n      ... on AccountInactiveError {\n        message\n      }\n      ... on ChargerUnavailableError {\n        message\n      }\n      ... on AlreadyReservedError {\n        message\n      }\n      ... on ReservationRejectedError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelReservation($id: ID!) {\n    cancelReservation(id: $id) {\n      __typename\n      ... on Reservation {\n        id\n        status\n      }\n      ... on ReservationNotFoundError {\n        message\n      }\n      ... on ReservationCancelFailedError {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CancelReservation($id: ID!) {\n    cancelReservation(id: $id) {\n      __typename\n      ... on Reservation {\n        id\n        status\n      }\n      ... on ReservationNotFoundError {\n        message\n      }\n      ... on ReservationCancelFailedError {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment UsageCard_Usage on DriverUsage {\n    weekKwh\n    weekSessions\n    monthKwh\n    monthSessions\n    billingPeriod {\n      from\n      to\n      kwh\n      amountCents\n      currency\n    }\n    billingAvailability\n  }\n"): (typeof documents)["\n  fragment UsageCard_Usage on DriverUsage {\n    weekKwh\n    weekSessions\n    monthKwh\n    monthSessions\n    billingPeriod {\n      from\n      to\n      kwh\n      amountCents\n      currency\n    }\n    billingAvailability\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DriverRow_User on User {\n    id\n    email\n    name\n    status\n    createdAt\n    authUserId\n  }\n"): (typeof documents)["\n  fragment DriverRow_User on User {\n    id\n    email\n    name\n    status\n    createdAt\n    authUserId\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DriversPage($search: String, $after: String) {\n    drivers(first: 25, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...DriverRow_User\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query DriversPage($search: String, $after: String) {\n    drivers(first: 25, after: $after, search: $search) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...DriverRow_User\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DriversPageCreate($input: CreateDriverInput!) {\n    createDriver(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DriversPageCreate($input: CreateDriverInput!) {\n    createDriver(input: $input) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DriversPageSetStatus($id: ID!, $status: AccountStatus!) {\n    setDriverStatus(id: $id, status: $status) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DriversPageSetStatus($id: ID!, $status: AccountStatus!) {\n    setDriverStatus(id: $id, status: $status) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DriversPageResetPassword($id: ID!, $password: String!) {\n    resetDriverPassword(id: $id, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation DriversPageResetPassword($id: ID!, $password: String!) {\n    resetDriverPassword(id: $id, password: $password) {\n      __typename\n      ... on Error {\n        message\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightsEnergy($bucket: EnergyBucket!) {\n    insightsEnergy(bucket: $bucket) {\n      bucket\n      kwh\n      sessions\n    }\n  }\n"): (typeof documents)["\n  query InsightsEnergy($bucket: EnergyBucket!) {\n    insightsEnergy(bucket: $bucket) {\n      bucket\n      kwh\n      sessions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightsSessionsByHour {\n    insightsSessionsByHour(days: 30) {\n      hour\n      sessions\n    }\n  }\n"): (typeof documents)["\n  query InsightsSessionsByHour {\n    insightsSessionsByHour(days: 30) {\n      hour\n      sessions\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightsUtilisation($days: Int!) {\n    insightsUtilisation(days: $days) {\n      chargeBoxId\n      name\n      share\n      rank\n    }\n  }\n"): (typeof documents)["\n  query InsightsUtilisation($days: Int!) {\n    insightsUtilisation(days: $days) {\n      chargeBoxId\n      name\n      share\n      rank\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightsSyncRuns {\n    insightsSyncRuns {\n      bucket\n      runs\n      failed\n      meanDurationMs\n      maxDurationMs\n      changes\n    }\n  }\n"): (typeof documents)["\n  query InsightsSyncRuns {\n    insightsSyncRuns {\n      bucket\n      runs\n      failed\n      meanDurationMs\n      maxDurationMs\n      changes\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query InsightsBilling {\n    insightsBilling {\n      day\n      sent\n      waiting\n      refused\n    }\n  }\n"): (typeof documents)["\n  query InsightsBilling {\n    insightsBilling {\n      day\n      sent\n      waiting\n      refused\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SessionRow_Session on OperatorSession {\n    status\n    connectorNumber\n    idTag\n    startedAt\n    stoppedAt\n    energyKwh\n    charger {\n      name\n    }\n    card {\n      publicId\n    }\n    driver {\n      email\n    }\n  }\n"): (typeof documents)["\n  fragment SessionRow_Session on OperatorSession {\n    status\n    connectorNumber\n    idTag\n    startedAt\n    stoppedAt\n    energyKwh\n    charger {\n      name\n    }\n    card {\n      publicId\n    }\n    driver {\n      email\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SessionsPage($filter: OperatorSessionFilter, $after: String) {\n    operatorSessions(first: 20, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...SessionRow_Session\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query SessionsPage($filter: OperatorSessionFilter, $after: String) {\n    operatorSessions(first: 20, after: $after, filter: $filter) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...SessionRow_Session\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment DeploymentModeNotice_ServerInfo on ServerInfo {\n    demo\n    steveMode\n    lagoMode\n  }\n"): (typeof documents)["\n  fragment DeploymentModeNotice_ServerInfo on ServerInfo {\n    demo\n    steveMode\n    lagoMode\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment WebhookEndpointRow_WebhookEndpoint on WebhookEndpoint {\n    id\n    url\n    description\n    events\n    status\n    disabledReason\n    failingSince\n    previousSecretExpiresAt\n    pendingCount\n    createdAt\n  }\n"): (typeof documents)["\n  fragment WebhookEndpointRow_WebhookEndpoint on WebhookEndpoint {\n    id\n    url\n    description\n    events\n    status\n    disabledReason\n    failingSince\n    previousSecretExpiresAt\n    pendingCount\n    createdAt\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhooksPage($after: String) {\n    webhookEventTypes {\n      name\n      description\n    }\n    webhookEndpoints(first: 25, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...WebhookEndpointRow_WebhookEndpoint\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhooksPage($after: String) {\n    webhookEventTypes {\n      name\n      description\n    }\n    webhookEndpoints(first: 25, after: $after) {\n      totalCount\n      pageInfo {\n        hasNextPage\n        endCursor\n      }\n      edges {\n        node {\n          id\n          ...WebhookEndpointRow_WebhookEndpoint\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query WebhookDeliveries($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookEndpoint {\n        deliveries(first: 20) {\n          totalCount\n          nodes {\n            id\n            status\n            eventType\n            eventNumber\n            attempts\n            responseStatus\n            latencyMs\n            lastError\n            nextAttemptAt\n            createdAt\n          }\n        }\n      }\n    }\n  }\n"): (typeof documents)["\n  query WebhookDeliveries($id: ID!) {\n    node(id: $id) {\n      id\n      ... on WebhookEndpoint {\n        deliveries(first: 20) {\n          totalCount\n          nodes {\n            id\n            status\n            eventType\n            eventNumber\n            attempts\n            responseStatus\n            latencyMs\n            lastError\n            nextAttemptAt\n            createdAt\n          }\n        }\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateWebhookEndpoint($url: String!, $events: [String!], $description: String) {\n    createWebhookEndpoint(url: $url, events: $events, description: $description) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation CreateWebhookEndpoint($url: String!, $events: [String!], $description: String) {\n    createWebhookEndpoint(url: $url, events: $events, description: $description) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n"): (typeof documents)["\n  mutation RotateWebhookSecret($id: ID!) {\n    rotateWebhookSecret(id: $id) {\n      secret\n      endpoint {\n        id\n        ...WebhookEndpointRow_WebhookEndpoint\n      }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation PauseWebhookEndpoint($id: ID!) {\n    pauseWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n"): (typeof documents)["\n  mutation PauseWebhookEndpoint($id: ID!) {\n    pauseWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResumeWebhookEndpoint($id: ID!) {\n    resumeWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n"): (typeof documents)["\n  mutation ResumeWebhookEndpoint($id: ID!) {\n    resumeWebhookEndpoint(id: $id) {\n      id\n      ...WebhookEndpointRow_WebhookEndpoint\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"): (typeof documents)["\n  mutation DeleteWebhookEndpoint($id: ID!) {\n    deleteWebhookEndpoint(id: $id)\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ResendWebhookDelivery($id: ID!) {\n    resendWebhookDelivery(id: $id) {\n      id\n      status\n    }\n  }\n"): (typeof documents)["\n  mutation ResendWebhookDelivery($id: ID!) {\n    resendWebhookDelivery(id: $id) {\n      id\n      status\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation ReplayWebhookEvents($id: ID!, $from: String!) {\n    replayWebhookEvents(endpointId: $id, fromEvent: $from)\n  }\n"): (typeof documents)["\n  mutation ReplayWebhookEvents($id: ID!, $from: String!) {\n    replayWebhookEvents(endpointId: $id, fromEvent: $from)\n  }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;