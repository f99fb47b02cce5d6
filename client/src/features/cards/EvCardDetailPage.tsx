import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { resultError } from '../../app/errors.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { formatDateTime } from '../../ui/format.ts';
import { CardStatusBadge } from './CardStatusBadge.tsx';
import { CustomerPicker } from './CustomerPicker.tsx';
import { MappingHistory } from './MappingHistory.tsx';

const CardQuery = graphql(/* GraphQL */ `
  query EvCardDetailPage($publicId: String!) {
    evCard(publicId: $publicId) {
      id
      publicId
      idTag
      label
      status
      origin
      isPrimary
      activatedAt
      disabledAt
      createdAt
      owner {
        id
        email
        name
      }
      customer {
        id
        name
        externalId
        email
      }
      ...MappingHistory_Card
    }
    drivers(first: 25) {
      edges {
        node {
          id
          email
          name
        }
      }
    }
  }
`);

const ActivateMutation = graphql(/* GraphQL */ `
  mutation EvCardActivate($publicId: String!) {
    activateCard(publicId: $publicId) {
      __typename
      ... on MutationActivateCardSuccess {
        data {
          id
          status
          activatedAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const DisableMutation = graphql(/* GraphQL */ `
  mutation EvCardDisable($publicId: String!) {
    disableCard(publicId: $publicId) {
      __typename
      ... on MutationDisableCardSuccess {
        data {
          id
          status
          isPrimary
          disabledAt
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const PrimaryMutation = graphql(/* GraphQL */ `
  mutation EvCardSetPrimary($publicId: String!) {
    setPrimaryCard(publicId: $publicId) {
      __typename
      ... on MutationSetPrimaryCardSuccess {
        data {
          id
          isPrimary
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

const AssignMutation = graphql(/* GraphQL */ `
  mutation EvCardAssign($publicId: String!, $driverId: ID!) {
    assignCard(publicId: $publicId, driverId: $driverId) {
      __typename
      ... on MutationAssignCardSuccess {
        data {
          id
          isPrimary
          owner {
            id
            email
          }
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/** One EV card by Public ID: lifecycle actions, driver, Lago customer and its mapping history. */
export function EvCardDetailPage() {
  const { publicId = '' } = useParams();
  const [result, refetch] = useQuery({
    query: CardQuery,
    variables: { publicId },
    requestPolicy: 'cache-and-network',
  });
  const reload = () => refetch({ requestPolicy: 'network-only' });
  const [activation, activate] = useMutation(ActivateMutation);
  const [disabling, disable] = useMutation(DisableMutation);
  const [primary, setPrimary] = useMutation(PrimaryMutation);
  const [assignment, assign] = useMutation(AssignMutation);
  const [driverId, setDriverId] = useState('');

  const card = result.data?.evCard;
  const problem =
    resultError(activation.data?.activateCard) ??
    resultError(disabling.data?.disableCard) ??
    resultError(primary.data?.setPrimaryCard) ??
    resultError(assignment.data?.assignCard) ??
    (activation.error ?? disabling.error ?? primary.error ?? assignment.error)?.message ??
    null;

  return (
    <>
      <PageHeader
        title={`EV card ${publicId}`}
        documentTitle={pageTitle(`EV card ${publicId}`, CONSOLE_NAME)}
        subtitle={<Link to={paths.admin.cards}>← All EV cards</Link>}
      />
      {!result.data && result.fetching && <Spinner block label="Loading the card…" />}
      {result.error && <ErrorMessage onRetry={reload}>{result.error.message}</ErrorMessage>}
      {result.data && !card && (
        <EmptyState title="No such EV card">No card has the Public ID {publicId}.</EmptyState>
      )}
      {card && (
        <div className="admin-columns">
          <Card
            title="Card"
            actions={
              <div className="admin-actions">
                {card.status !== 'ACTIVE' && (
                  <Button
                    variant="primary"
                    busy={activation.fetching}
                    onClick={() => void activate({ publicId: card.publicId }).then(reload)}
                  >
                    Activate
                  </Button>
                )}
                {card.status !== 'DISABLED' && (
                  <Button
                    variant="danger"
                    busy={disabling.fetching}
                    onClick={() => {
                      if (
                        window.confirm(
                          `Disable ${card.publicId}? Its tag is blocked in SteVe; the card stays in history.`,
                        )
                      ) {
                        void disable({ publicId: card.publicId }).then(reload);
                      }
                    }}
                  >
                    Disable
                  </Button>
                )}
              </div>
            }
          >
            {problem && <ErrorMessage compact>{problem}</ErrorMessage>}
            <dl className="dash-facts">
              <dt>Status</dt>
              <dd>
                <CardStatusBadge status={card.status} />
              </dd>
              <dt>Public ID</dt>
              <dd className="admin-mono">{card.publicId}</dd>
              <dt>idTag (SteVe)</dt>
              <dd className="admin-mono">{card.idTag}</dd>
              <dt>Label</dt>
              <dd>{card.label ?? '—'}</dd>
              <dt>Origin</dt>
              <dd>{card.origin === 'STEVE' ? 'Found in SteVe by the sync' : 'Registered in Polaris'}</dd>
              <dt>Activated</dt>
              <dd>{formatDateTime(card.activatedAt)}</dd>
              {card.disabledAt && (
                <>
                  <dt>Disabled</dt>
                  <dd>{formatDateTime(card.disabledAt)}</dd>
                </>
              )}
              <dt>Audit log</dt>
              <dd>
                <Link to={`${paths.admin.audit}?subject=${encodeURIComponent(card.publicId)}`}>
                  Actions on this card
                </Link>
              </dd>
            </dl>
          </Card>
          <Card title="Driver">
            <dl className="dash-facts">
              <dt>Driver</dt>
              <dd data-testid="card-owner">
                {card.owner ? `${card.owner.name} (${card.owner.email})` : 'Not assigned'}
              </dd>
              <dt>Primary card</dt>
              <dd>{card.isPrimary ? 'Yes' : 'No'}</dd>
            </dl>
            <div className="admin-toolbar">
              <label className="ui-field">
                <span className="ui-field__label">Assign to driver</span>
                <select
                  className="admin-select"
                  value={driverId}
                  onChange={(e) => setDriverId(e.target.value)}
                >
                  <option value="">Choose a driver…</option>
                  {result.data?.drivers.edges.map((e) => (
                    <option key={e.node.id} value={e.node.id}>
                      {e.node.name} ({e.node.email})
                    </option>
                  ))}
                </select>
              </label>
              <Button
                disabled={!driverId}
                busy={assignment.fetching}
                onClick={() => void assign({ publicId: card.publicId, driverId }).then(reload)}
              >
                Assign
              </Button>
              {card.owner && !card.isPrimary && card.status !== 'DISABLED' && (
                <Button
                  busy={primary.fetching}
                  onClick={() => void setPrimary({ publicId: card.publicId }).then(reload)}
                >
                  Set as primary
                </Button>
              )}
            </div>
          </Card>
          <Card title="Lago customer" subtitle="Billing flows once the card is mapped to a Lago customer.">
            <p data-testid="current-customer">
              {card.customer ? (
                <>
                  Billed to <strong>{card.customer.name}</strong>{' '}
                  <span className="app-muted admin-mono">{card.customer.externalId}</span>
                </>
              ) : (
                <span className="app-muted">No Lago customer yet: sessions of this card wait for one.</span>
              )}
            </p>
            <CustomerPicker
              publicId={card.publicId}
              currentExternalId={card.customer?.externalId ?? null}
              onLinked={reload}
            />
          </Card>
          <MappingHistory card={card} />
        </div>
      )}
    </>
  );
}
