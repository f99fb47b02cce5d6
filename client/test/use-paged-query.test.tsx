// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { Client, gql, makeResult, Provider, type Exchange, type TypedDocumentNode } from 'urql';
import { filter, map, pipe } from 'wonka';
import { usePagedQuery } from '../src/ui/usePagedQuery.ts';

interface Row {
  node: { id: string };
}
interface Data {
  items: { totalCount: number; pageInfo: { hasNextPage: boolean; endCursor: string | null }; edges: Row[] };
}
interface Variables {
  search: string | null;
  after: string | null;
  [key: string]: unknown;
}

const ItemsQuery: TypedDocumentNode<Data, Variables> = gql`
  query Items($search: String, $after: String) {
    items(first: 2, after: $after, search: $search) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
        }
      }
    }
  }
`;

/** A server holding `rows` (newest first), answering pages of two like a Relay connection. */
function server(rows: string[]) {
  const asked: Variables[] = [];
  const exchange: Exchange = () => (operations$) =>
    pipe(
      operations$,
      filter((op) => op.kind === 'query'),
      map((op) => {
        const variables = op.variables as Variables;
        asked.push(variables);
        const matching = rows.filter((id) => !variables.search || id.includes(variables.search));
        const start = variables.after ? matching.indexOf(variables.after) + 1 : 0;
        const page = matching.slice(start, start + 2);
        const data: Data = {
          items: {
            totalCount: matching.length,
            pageInfo: { hasNextPage: start + 2 < matching.length, endCursor: page.at(-1) ?? null },
            edges: page.map((id) => ({ node: { id } })),
          },
        };
        return makeResult(op, { data });
      }),
    );
  return { client: new Client({ url: 'http://polaris.test/graphql', exchanges: [exchange] }), asked, rows };
}

function List({ search }: { search: string | null }) {
  const paged = usePagedQuery({ query: ItemsQuery, variables: { search }, connection: (d) => d.items });
  return (
    <div>
      <p data-testid="total">{paged.totalCount ?? '…'}</p>
      <ul>
        {paged.edges.map((e) => (
          <li key={e.node.id}>{e.node.id}</li>
        ))}
      </ul>
      {paged.hasMore && (
        <button type="button" onClick={paged.loadMore}>
          Load more
        </button>
      )}
    </div>
  );
}

const shown = () => screen.queryAllByRole('listitem').map((li) => li.textContent);

describe('usePagedQuery ("Load more" lists)', () => {
  afterEach(cleanup);

  it('shows the first page and the total, appends the next page on "Load more", and stops at the end', async () => {
    const { client } = server(['e', 'd', 'c', 'b', 'a']);
    render(
      <Provider value={client}>
        <List search={null} />
      </Provider>,
    );
    await waitFor(() => expect(shown()).toEqual(['e', 'd']));
    expect(screen.getByTestId('total').textContent).toBe('5');
    const user = userEvent.setup();
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(shown()).toEqual(['e', 'd', 'c', 'b']));
    await user.click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(shown()).toEqual(['e', 'd', 'c', 'b', 'a']));
    expect(screen.queryByRole('button', { name: 'Load more' })).toBeNull();
  });

  it('never shows a row twice when rows shift between pages', async () => {
    const s = server(['d', 'c', 'b', 'a']);
    render(
      <Provider value={s.client}>
        <List search={null} />
      </Provider>,
    );
    await waitFor(() => expect(shown()).toEqual(['d', 'c']));
    // The first page's last row moves down: the next page starts again with it.
    s.rows.splice(0, s.rows.length, 'd', 'b', 'c', 'a');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(shown()).toEqual(['d', 'c', 'a']));
  });

  it('starts again from the first page when the search changes', async () => {
    const s = server(['apple', 'avocado', 'banana', 'blueberry', 'cherry']);
    const { rerender } = render(
      <Provider value={s.client}>
        <List search={null} />
      </Provider>,
    );
    await waitFor(() => expect(shown()).toEqual(['apple', 'avocado']));
    await userEvent.setup().click(screen.getByRole('button', { name: 'Load more' }));
    await waitFor(() => expect(shown()).toEqual(['apple', 'avocado', 'banana', 'blueberry']));
    rerender(
      <Provider value={s.client}>
        <List search="b" />
      </Provider>,
    );
    await waitFor(() => expect(shown()).toEqual(['banana', 'blueberry']));
    expect(screen.getByTestId('total').textContent).toBe('2');
    expect(s.asked.at(-1)).toEqual({ search: 'b', after: null });
  });
});
