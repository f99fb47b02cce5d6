import { useState, type FormEvent } from 'react';
import { useMutation, useQuery } from 'urql';
import { resultError } from '../../app/errors.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { TextField } from '../../ui/TextField.tsx';

const CustomersQuery = graphql(/* GraphQL */ `
  query CustomerPicker($search: String) {
    lagoCustomers(search: $search, perPage: 8) {
      __typename
      ... on QueryLagoCustomersSuccess {
        data {
          totalCount
          nodes {
            externalId
            name
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

const MapMutation = graphql(/* GraphQL */ `
  mutation CustomerPickerMap($cardId: ID!, $externalId: String!) {
    mapCardToCustomer(cardId: $cardId, customerExternalId: $externalId) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const CreateMutation = graphql(/* GraphQL */ `
  mutation CustomerPickerCreate($input: CreateLagoCustomerInput!) {
    createLagoCustomer(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

/** Search Lago's customers and link the card to one, or create a customer inline and link it in one step. */
export function CustomerPicker({
  publicId,
  currentExternalId,
  onLinked,
}: {
  publicId: string;
  currentExternalId: string | null;
  onLinked: () => void;
}) {
  const [search, setSearch] = useState('');
  const [list] = useQuery({
    query: CustomersQuery,
    variables: { search: search || null },
    requestPolicy: 'network-only',
  });
  const [mapping, map] = useMutation(MapMutation);
  const [creating, create] = useMutation(CreateMutation);
  const [showCreate, setShowCreate] = useState(false);
  const [name, setName] = useState('');
  const [email, setEmail] = useState('');
  const [notice, setNotice] = useState<string | null>(null);

  const page = list.data?.lagoCustomers;
  const problem =
    resultError(mapping.data?.mapCardToCustomer) ??
    resultError(creating.data?.createLagoCustomer) ??
    mapping.error?.message ??
    creating.error?.message ??
    null;

  const link = async (externalId: string, label: string) => {
    const res = await map({ cardId: publicId, externalId });
    if (res.data && !resultError(res.data.mapCardToCustomer)) {
      setNotice(`Linked to ${label}.`);
      onLinked();
    }
  };

  const submitCreate = async (event: FormEvent) => {
    event.preventDefault();
    const res = await create({ input: { name, email: email || null, cardId: publicId } });
    if (res.data && !resultError(res.data.createLagoCustomer)) {
      setNotice(`Created ${name} in Lago and linked the card.`);
      setShowCreate(false);
      setName('');
      setEmail('');
      onLinked();
    }
  };

  return (
    <div className="app-stack" data-testid="customer-picker">
      {notice && (
        <p className="admin-notice" role="status">
          {notice}
        </p>
      )}
      {problem && <ErrorMessage compact>{problem}</ErrorMessage>}
      <TextField
        label={currentExternalId ? 'Re-point to another Lago customer' : 'Find a Lago customer'}
        type="search"
        placeholder="Name, email or external id"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
      />
      {list.fetching && !page && <Spinner label="Searching Lago…" />}
      {page?.__typename === 'LagoUnavailableError' && <ErrorMessage compact>{page.message}</ErrorMessage>}
      {page?.__typename === 'QueryLagoCustomersSuccess' &&
        (page.data.nodes.length === 0 ? (
          <p className="app-muted">No Lago customer matches. Create one below.</p>
        ) : (
          <ul className="admin-list" aria-label="Lago customers">
            {page.data.nodes.map((c) => (
              <li key={c.externalId}>
                <span>
                  {c.name ?? c.externalId} <span className="app-muted">{c.email ?? ''}</span>
                  <br />
                  <span className="app-muted admin-mono">{c.externalId}</span>
                </span>
                {c.externalId === currentExternalId ? (
                  <span className="app-muted">current</span>
                ) : (
                  <Button
                    size="small"
                    busy={mapping.fetching}
                    onClick={() => void link(c.externalId, c.name ?? c.externalId)}
                  >
                    Link
                  </Button>
                )}
              </li>
            ))}
          </ul>
        ))}
      {showCreate ? (
        <form
          className="app-stack"
          onSubmit={(e) => void submitCreate(e)}
          aria-label="Create a Lago customer"
        >
          <TextField label="Customer name" value={name} onChange={(e) => setName(e.target.value)} required />
          <TextField
            label="Billing email (optional)"
            type="email"
            value={email}
            onChange={(e) => setEmail(e.target.value)}
          />
          <div className="admin-actions">
            <Button type="submit" variant="primary" busy={creating.fetching}>
              Create and link
            </Button>
            <Button variant="ghost" onClick={() => setShowCreate(false)}>
              Cancel
            </Button>
          </div>
        </form>
      ) : (
        <div>
          <Button onClick={() => setShowCreate(true)}>Create a new Lago customer</Button>
        </div>
      )}
    </div>
  );
}
