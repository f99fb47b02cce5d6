import { useCallback, useMemo, useRef, type ReactNode } from 'react';
import { NETWORK_ERROR_MESSAGE } from '../../app/errors.ts';
import { authCall, authClient, authError, type AuthSession, type PolarisAuthClient } from './auth-client.ts';
import { SessionContext, type SessionContextValue, type SessionState } from './session-context.ts';

interface SessionQuery {
  data: AuthSession | null;
  error: { message?: string; status?: number; code?: string } | null;
  isPending: boolean;
}

function stateOf(query: SessionQuery): SessionState | null {
  if (query.data) return { status: 'signed-in', session: query.data };
  if (query.isPending) return null;
  if (!query.error) return { status: 'signed-out', error: null };
  const { status } = query.error;
  const message =
    typeof status === 'number'
      ? authError({ ...query.error, status }, 'Could not check your session').message
      : NETWORK_ERROR_MESSAGE;
  return { status: 'signed-out', error: message };
}

/**
 * The session from better-auth's React client (`useSession`): loaded once, re-checked when the tab
 * comes back into focus and shared across tabs by the client itself. A re-check that cannot reach
 * the server keeps what we know; one that is under way shows the last answer, not a spinner.
 */
export function SessionProvider({
  children,
  client = authClient,
}: {
  children: ReactNode;
  client?: PolarisAuthClient;
}) {
  const query = client.useSession() as SessionQuery;
  const settled = useRef<SessionState>({ status: 'loading' });
  const state = stateOf(query) ?? settled.current;
  settled.current = state;

  const refresh = useCallback(async (): Promise<SessionState> => {
    await client.$store.atoms.session!.get().refetch();
    return stateOf(client.$store.atoms.session!.get() as SessionQuery) ?? { status: 'loading' };
  }, [client]);

  const signOut = useCallback(async () => {
    await authCall(() => client.signOut(), 'Sign-out failed');
    // Wait for the client's own session to say "signed out" before anyone navigates on it.
    await refresh();
  }, [client, refresh]);

  const value = useMemo<SessionContextValue>(
    () => ({ state, client, refresh, signOut }),
    [state, client, refresh, signOut],
  );
  return <SessionContext value={value}>{children}</SessionContext>;
}
