import { useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { Button, type ButtonVariant } from '../../ui/Button.tsx';
import { authCall, AuthError } from './auth-client.ts';
import { useSession } from './useSession.ts';

/** Ends "view as driver" and returns the admin to the console. */
export function StopImpersonatingButton({ variant = 'secondary' }: { variant?: ButtonVariant }) {
  const { client, refresh } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const stop = async () => {
    setBusy(true);
    setError(null);
    try {
      await authCall(() => client.admin.stopImpersonating(), 'Could not stop impersonating');
      await refresh();
      await navigate(paths.admin.dashboard, { replace: true });
    } catch (e) {
      setError(e instanceof AuthError ? e.message : 'Could not stop impersonating.');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant={variant} size="small" busy={busy} onClick={() => void stop()}>
        Stop impersonating
      </Button>
      {error && (
        <span role="alert" className="app-inline-error">
          {error}
        </span>
      )}
    </>
  );
}
