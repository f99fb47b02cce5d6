import { useEffect, useState, type ReactNode } from 'react';
import { Provider as UrqlProvider } from 'urql';
import { useSession } from '../features/auth/useSession.ts';
import { createApi, LiveConnectionContext } from './urql.ts';

/**
 * Provides the urql client and its live-connection state. Mount it with `key` = the session id:
 * a new session (sign-in, sign-out, impersonation) gets a fresh cache and a fresh socket, so no
 * data of one user is ever shown to another and the socket authenticates with the new cookie.
 */
export function ApiProvider({ children }: { children: ReactNode }) {
  const { refresh } = useSession();
  // createApi opens nothing until the first subscription, so creating it during render is safe.
  const [api] = useState(() => createApi({ onUnauthenticated: () => void refresh() }));
  useEffect(() => () => api.dispose(), [api]);
  return (
    <UrqlProvider value={api.client}>
      <LiveConnectionContext value={api.live}>{children}</LiveConnectionContext>
    </UrqlProvider>
  );
}
