import { useState } from 'react';
import { useMutation, useQuery } from 'urql';
import { resultError } from '../../app/errors.ts';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';
import { Card } from '../../ui/Card.tsx';
import { EmptyState } from '../../ui/EmptyState.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { TextField } from '../../ui/TextField.tsx';

const ConfigurationQuery = graphql(/* GraphQL */ `
  query ChargerConfigurationCard($chargerId: ID!) {
    chargerConfiguration(chargerId: $chargerId) {
      status
      reason
      keys {
        key
        value
        readonly
      }
      unknownKeys
    }
  }
`);

const ChangeConfigurationMutation = graphql(/* GraphQL */ `
  mutation ChargerConfigurationChange($chargerId: ID!, $key: String!, $value: String!) {
    changeConfiguration(chargerId: $chargerId, key: $key, value: $value) {
      __typename
      ... on ChangeConfigurationSuccess {
        command {
          id
          status
        }
      }
      ... on Error {
        message
      }
    }
  }
`);

/**
 * The charger's OCPP configuration keys, read on demand (GetConfiguration waits on the charger);
 * a key that is not read-only can be changed, the answer shows in the command panel.
 */
export function ConfigurationCard(props: { chargerId: string; disabled: boolean; onChange: () => void }) {
  const [asked, setAsked] = useState(false);
  const [editing, setEditing] = useState<{ key: string; value: string } | null>(null);
  const [result, reload] = useQuery({
    query: ConfigurationQuery,
    variables: { chargerId: props.chargerId },
    pause: !asked,
    requestPolicy: 'network-only',
  });
  const [change, sendChange] = useMutation(ChangeConfigurationMutation);
  const config = result.data?.chargerConfiguration;
  const refused = resultError(change.data?.changeConfiguration);
  return (
    <Card
      title="Configuration"
      actions={
        <Button
          size="small"
          disabled={props.disabled}
          busy={result.fetching}
          onClick={() => (asked ? reload({ requestPolicy: 'network-only' }) : setAsked(true))}
        >
          {asked ? 'Read again' : 'Read from charger'}
        </Button>
      }
    >
      {!asked && (
        <EmptyState title="Not read yet" compact>
          Asks the charger for its keys (GetConfiguration).
        </EmptyState>
      )}
      {asked && !config && result.fetching && <Spinner block label="Asking the charger…" />}
      {result.error && <ErrorMessage compact>{result.error.message}</ErrorMessage>}
      {config && config.status !== 'ACCEPTED' && (
        <ErrorMessage compact>{config.reason ?? 'The charger did not send its configuration.'}</ErrorMessage>
      )}
      {(refused || change.error) && <ErrorMessage compact>{refused ?? change.error?.message}</ErrorMessage>}
      {config && config.keys.length > 0 && (
        <table className="admin-table" aria-label="Configuration keys">
          <thead>
            <tr>
              <th>Key</th>
              <th>Value</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {config.keys.map((k) => (
              <tr key={k.key} data-key={k.key}>
                <td className="admin-mono">{k.key}</td>
                <td>
                  {editing?.key === k.key ? (
                    <TextField
                      label={`New value of ${k.key}`}
                      value={editing.value}
                      onChange={(e) => setEditing({ key: k.key, value: e.target.value })}
                    />
                  ) : (
                    <span className="admin-mono">{k.value ?? '—'}</span>
                  )}
                </td>
                <td>
                  {k.readonly ? (
                    <span className="app-muted">read-only</span>
                  ) : editing?.key === k.key ? (
                    <>
                      <Button
                        size="small"
                        variant="primary"
                        busy={change.fetching}
                        onClick={() =>
                          void sendChange({
                            chargerId: props.chargerId,
                            key: k.key,
                            value: editing.value,
                          }).then(() => {
                            setEditing(null);
                            props.onChange();
                          })
                        }
                      >
                        Save
                      </Button>{' '}
                      <Button size="small" variant="ghost" onClick={() => setEditing(null)}>
                        Cancel
                      </Button>
                    </>
                  ) : (
                    <Button
                      size="small"
                      disabled={props.disabled}
                      onClick={() => setEditing({ key: k.key, value: k.value ?? '' })}
                    >
                      Change
                    </Button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Card>
  );
}
