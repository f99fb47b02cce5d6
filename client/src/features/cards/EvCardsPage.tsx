import { useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { useMutation } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { paths } from '../../app/paths.ts';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import type { EvCardStatus } from '../../gql/graphql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { CsvDownloadLink } from '../../ui/CsvDownloadLink.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { CardStatusBadge } from './CardStatusBadge.tsx';
import { formatDateTime } from '../../ui/format.ts';

export function cardPath(publicId: string): string {
  return `${paths.admin.cards}/${encodeURIComponent(publicId)}`;
}

const RowFragment = graphql(/* GraphQL */ `
  fragment EvCardRow_Card on EvCard {
    publicId
    idTag
    label
    status
    origin
    isPrimary
    activatedAt
    owner {
      email
    }
    customer {
      name
    }
  }
`);

const CardsQuery = graphql(/* GraphQL */ `
  query EvCardsPage($search: String, $status: EvCardStatus, $after: String) {
    evCards(first: 25, after: $after, search: $search, status: $status) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...EvCardRow_Card
        }
      }
    }
  }
`);

const CreateCardMutation = graphql(/* GraphQL */ `
  mutation EvCardsPageCreateCard($idTag: String!, $label: String) {
    createCard(idTag: $idTag, label: $label) {
      __typename
      ... on MutationCreateCardSuccess {
        data {
          id
          publicId
        }
      }
      ... on InvalidCardInputError {
        message
      }
    }
  }
`);

function EvCardRow(props: { card: FragmentType<typeof RowFragment> }) {
  const c = useFragment(RowFragment, props.card);
  return (
    <tr data-public-id={c.publicId}>
      <td>
        <Link to={cardPath(c.publicId)} className="admin-mono">
          {c.publicId}
        </Link>
        {c.isPrimary && <span className="app-muted"> · primary</span>}
      </td>
      <td className="admin-mono">{c.idTag}</td>
      <td>{c.label ?? '—'}</td>
      <td>
        <CardStatusBadge status={c.status} />
        {c.origin === 'STEVE' && c.status === 'PENDING' && (
          <span className="app-muted"> · found in SteVe</span>
        )}
      </td>
      <td>{c.owner?.email ?? '—'}</td>
      <td>{c.customer?.name ?? <span className="app-muted">No Lago customer</span>}</td>
      <td>{formatDateTime(c.activatedAt)}</td>
    </tr>
  );
}

/** EV cards: search, filter, register a new one; each links to its detail page (by Public ID). */
export function EvCardsPage() {
  const [search, setSearch] = useState('');
  const [status, setStatus] = useState<EvCardStatus | ''>('');
  const paged = usePagedQuery({
    query: CardsQuery,
    variables: { search: search || null, status: status || null },
    connection: (d) => d.evCards,
  });
  const [idTag, setIdTag] = useState('');
  const [label, setLabel] = useState('');
  const [created, createCard] = useMutation(CreateCardMutation);
  const navigate = useNavigate();
  const createError =
    created.data?.createCard.__typename === 'InvalidCardInputError' ? created.data.createCard.message : null;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const res = await createCard({ idTag, label: label || null });
    if (res.data?.createCard.__typename === 'MutationCreateCardSuccess') {
      navigate(cardPath(res.data.createCard.data.publicId));
    }
  };

  return (
    <>
      <PageHeader
        title="EV Cards"
        documentTitle={pageTitle('EV Cards', CONSOLE_NAME)}
        subtitle="Cards drivers charge with, and the Lago customer each one bills to."
        actions={<CsvDownloadLink name="ev-cards" filters={{ search, status }} />}
      />
      <Card
        title="Register a card"
        subtitle="Enter the idTag printed on a blank card; activate it on its page."
      >
        <form className="admin-toolbar" onSubmit={(e) => void submit(e)}>
          <TextField
            label="idTag"
            value={idTag}
            onChange={(e) => setIdTag(e.target.value)}
            required
            error={createError ?? undefined}
          />
          <TextField label="Label (optional)" value={label} onChange={(e) => setLabel(e.target.value)} />
          <Button type="submit" variant="primary" busy={created.fetching}>
            Register card
          </Button>
        </form>
      </Card>
      <Card title="All cards">
        <div className="admin-toolbar">
          <TextField
            label="Search"
            type="search"
            placeholder="Public ID, idTag, label or driver email"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
          />
          <label className="ui-field">
            <span className="ui-field__label">Status</span>
            <select
              className="admin-select"
              value={status}
              onChange={(e) => setStatus(e.target.value as EvCardStatus | '')}
            >
              <option value="">Any</option>
              <option value="PENDING">Pending</option>
              <option value="ACTIVE">Active</option>
              <option value="DISABLED">Disabled</option>
            </select>
          </label>
        </div>
        <ConnectionTable
          paged={paged}
          label="EV cards"
          columns={[
            { header: 'Public ID' },
            { header: 'idTag' },
            { header: 'Label' },
            { header: 'Status' },
            { header: 'Driver' },
            { header: 'Lago customer' },
            { header: 'Activated' },
          ]}
          row={(node) => <EvCardRow card={node} />}
          loadingLabel="Loading cards…"
          emptyTitle={search || status ? 'No card matches' : 'No EV cards yet'}
          emptyText="Register a card above, or let the sync import the tags already in SteVe. Activate a card to let a driver start charging; link it to a Lago customer so its sessions are billed."
          noun="cards"
        />
      </Card>
    </>
  );
}
