import { useCallback, useState } from 'react';
import { authCall, AuthError } from './auth-client.ts';
import { useSession } from './useSession.ts';

const COOKIE_NOT_KEPT =
  'You were signed in, but this browser did not keep the session. Allow cookies for this site and try again.';

/**
 * Signs in with email and password, then re-reads the session. Redirecting is the sign-in page's
 * job: it leaves as soon as the session says "signed in".
 */
export function useSignIn() {
  const { client, refresh } = useSession();
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const signIn = useCallback(
    async (credentials: { email: string; password: string }) => {
      setPending(true);
      setError(null);
      try {
        await authCall(
          () => client.signIn.email({ email: credentials.email, password: credentials.password }),
          'Sign-in failed',
        );
        const next = await refresh();
        // A check that could not reach the server shows its own error on the page.
        if (next.status === 'signed-out' && next.error === null) setError(COOKIE_NOT_KEPT);
      } catch (e) {
        setError(e instanceof AuthError ? e.message : 'Sign-in failed. Try again.');
      } finally {
        setPending(false);
      }
    },
    [client, refresh],
  );

  return { signIn, pending, error };
}
