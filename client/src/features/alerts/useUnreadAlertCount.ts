import { useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';

const UnreadAlertCountSubscription = graphql(/* GraphQL */ `
  subscription UnreadAlertCount {
    unreadAlertCount
  }
`);

/**
 * The unread-alert count, live: the server sends it on subscribing and whenever an alert is raised
 * or read. `loaded` (from the page's query) stands in until the first message arrives.
 */
export function useUnreadAlertCount(loaded: number | undefined): number | undefined {
  const [live] = useSubscription({ query: UnreadAlertCountSubscription });
  return live.data?.unreadAlertCount ?? loaded;
}
