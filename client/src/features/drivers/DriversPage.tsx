import { useState, type FormEvent } from 'react';
import { useMutation } from 'urql';
import { CONSOLE_NAME, pageTitle } from '../../app/brand.ts';
import { describeError, resultError } from '../../app/errors.ts';
import { PageHeader } from '../../app/PageHeader.tsx';
import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { Badge } from '../../ui/Badge.tsx';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { ConnectionTable } from '../../ui/ConnectionTable.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { usePagedQuery } from '../../ui/usePagedQuery.ts';
import { viewAsDriver } from './view-as-driver.ts';
import { formatDateTime } from '../../ui/format.ts';

const RowFragment = graphql(/* GraphQL */ `
  fragment DriverRow_User on User {
    id
    email
    name
    status
    createdAt
    authUserId
  }
`);

const DriversQuery = graphql(/* GraphQL */ `
  query DriversPage($search: String, $after: String) {
    drivers(first: 25, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          ...DriverRow_User
        }
      }
    }
  }
`);

const CreateMutation = graphql(/* GraphQL */ `
  mutation DriversPageCreate($input: CreateDriverInput!) {
    createDriver(input: $input) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const StatusMutation = graphql(/* GraphQL */ `
  mutation DriversPageSetStatus($id: ID!, $status: AccountStatus!) {
    setDriverStatus(id: $id, status: $status) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

const ResetMutation = graphql(/* GraphQL */ `
  mutation DriversPageResetPassword($id: ID!, $password: String!) {
    resetDriverPassword(id: $id, password: $password) {
      __typename
      ... on Error {
        message
      }
    }
  }
`);

function DriverRow(props: { driver: FragmentType<typeof RowFragment>; onChanged: () => void }) {
  const d = useFragment(RowFragment, props.driver);
  const [statusResult, setStatus] = useMutation(StatusMutation);
  const [resetResult, reset] = useMutation(ResetMutation);
  const [problem, setProblem] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const active = d.status === 'ACTIVE';
  return (
    <tr>
      <td>
        {d.name}
        <br />
        <span className="app-muted">{d.email}</span>
      </td>
      <td>
        <Badge tone={active ? 'success' : 'neutral'}>{active ? 'Active' : 'Inactive'}</Badge>
      </td>
      <td>{formatDateTime(d.createdAt)}</td>
      <td>
        <div className="admin-actions">
          <Button
            size="small"
            busy={statusResult.fetching}
            onClick={() =>
              void setStatus({ id: d.id, status: active ? 'INACTIVE' : 'ACTIVE' }).then((r) => {
                setProblem(resultError(r.data?.setDriverStatus) ?? (r.error ? describeError(r.error) : null));
                props.onChanged();
              })
            }
          >
            {active ? 'Deactivate' : 'Activate'}
          </Button>
          <Button
            size="small"
            busy={resetResult.fetching}
            onClick={() => {
              const password = window.prompt(`New password for ${d.email} (8–128 characters):`);
              if (!password) return;
              void reset({ id: d.id, password }).then((r) => {
                const p =
                  resultError(r.data?.resetDriverPassword) ?? (r.error ? describeError(r.error) : null);
                setProblem(p);
                setNotice(p ? null : 'Password reset; the driver was signed out everywhere.');
              });
            }}
          >
            Reset password
          </Button>
          <Button
            size="small"
            variant="ghost"
            onClick={() => void viewAsDriver(d.authUserId).then(setProblem)}
          >
            View as driver
          </Button>
        </div>
        {problem && <ErrorMessage compact>{problem}</ErrorMessage>}
        {notice && <p className="admin-notice">{notice}</p>}
      </td>
    </tr>
  );
}

/** Driver accounts: create, activate/deactivate, reset password, view as driver. */
export function DriversPage() {
  const [search, setSearch] = useState('');
  const paged = usePagedQuery({
    query: DriversQuery,
    variables: { search: search || null },
    connection: (d) => d.drivers,
  });
  const [created, create] = useMutation(CreateMutation);
  const [form, setForm] = useState({ name: '', email: '', password: '' });
  const createProblem =
    resultError(created.data?.createDriver) ?? (created.error ? describeError(created.error) : null);
  const reload = paged.refetch;

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const res = await create({ input: form });
    if (res.data?.createDriver.__typename === 'MutationCreateDriverSuccess') {
      setForm({ name: '', email: '', password: '' });
      reload();
    }
  };

  return (
    <>
      <PageHeader
        title="Drivers"
        documentTitle={pageTitle('Drivers', CONSOLE_NAME)}
        subtitle="Driver accounts."
      />
      <Card title="Create a driver">
        <form className="admin-toolbar" onSubmit={(e) => void submit(e)}>
          <TextField
            label="Name"
            value={form.name}
            onChange={(e) => setForm({ ...form, name: e.target.value })}
            required
          />
          <TextField
            label="Email"
            type="email"
            value={form.email}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
            required
          />
          <TextField
            label="Initial password"
            type="password"
            value={form.password}
            onChange={(e) => setForm({ ...form, password: e.target.value })}
            required
          />
          <Button type="submit" variant="primary" busy={created.fetching}>
            Create driver
          </Button>
        </form>
        {createProblem && <ErrorMessage compact>{createProblem}</ErrorMessage>}
      </Card>
      <Card title="All drivers">
        <div className="admin-toolbar">
          <TextField
            label="Search"
            type="search"
            value={search}
            onChange={(e) => setSearch(e.target.value)}
            placeholder="Email or name"
          />
        </div>
        <ConnectionTable
          paged={paged}
          label="Drivers"
          columns={[{ header: 'Driver' }, { header: 'Status' }, { header: 'Created' }, { header: 'Actions' }]}
          row={(node) => <DriverRow driver={node} onChanged={reload} />}
          loadingLabel="Loading drivers…"
          emptyTitle="No drivers yet"
          emptyText="Create the first one above."
          noun="drivers"
        />
      </Card>
    </>
  );
}
