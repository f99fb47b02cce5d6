import { Outlet } from 'react-router';
import { SessionProvider } from '../features/auth/SessionProvider.tsx';
import { useSession } from '../features/auth/useSession.ts';
import { ApiProvider } from './ApiProvider.tsx';

/** Everything every page needs: the session, then an API client bound to that session. */
export function RootLayout() {
  return (
    <SessionProvider>
      <SessionBoundApi />
    </SessionProvider>
  );
}

function SessionBoundApi() {
  const { state } = useSession();
  const identity = state.status === 'signed-in' ? state.session.session.id : 'anonymous';
  return (
    <ApiProvider key={identity}>
      <Outlet />
    </ApiProvider>
  );
}
