import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import { AuthError, fetchSession, signOut as postSignOut } from './auth-api.ts';
import { SessionContext, type SessionContextValue, type SessionState } from './session-context.ts';

async function readSession(): Promise<SessionState> {
  try {
    const session = await fetchSession();
    return session ? { status: 'signed-in', session } : { status: 'signed-out', error: null };
  } catch (error) {
    const message = error instanceof AuthError ? error.message : 'Could not check your session.';
    return { status: 'signed-out', error: message };
  }
}

/** Loads the session once, re-checks it when the tab becomes visible again, and shares it. */
export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });
  // Numbers each check so an older answer never overwrites a newer one (a slow check racing a sign-in).
  const latest = useRef(0);

  const refresh = useCallback(async (): Promise<SessionState> => {
    const request = ++latest.current;
    const next = await readSession();
    if (request === latest.current) setState(next);
    return next;
  }, []);

  useEffect(() => {
    void refresh();
    const recheck = async () => {
      if (document.visibilityState !== 'visible') return;
      const request = ++latest.current;
      const next = await readSession();
      if (request !== latest.current) return;
      // A background re-check that cannot reach the server keeps what we know.
      if (next.status === 'signed-out' && next.error !== null) return;
      setState((current) => (sameSession(current, next) ? current : next));
    };
    const onVisibilityChange = () => void recheck();
    document.addEventListener('visibilitychange', onVisibilityChange);
    return () => document.removeEventListener('visibilitychange', onVisibilityChange);
  }, [refresh]);

  const signOut = useCallback(async () => {
    await postSignOut();
    latest.current += 1;
    setState({ status: 'signed-out', error: null });
  }, []);

  const value = useMemo<SessionContextValue>(() => ({ state, refresh, signOut }), [state, refresh, signOut]);
  return <SessionContext value={value}>{children}</SessionContext>;
}

function sameSession(a: SessionState, b: SessionState): boolean {
  if (a.status === 'signed-in' && b.status === 'signed-in') {
    return (
      a.session.session.id === b.session.session.id &&
      a.session.user.role === b.session.user.role &&
      a.session.user.email === b.session.user.email &&
      a.session.user.name === b.session.user.name
    );
  }
  return a.status === 'signed-out' && b.status === 'signed-out' && a.error === b.error;
}
