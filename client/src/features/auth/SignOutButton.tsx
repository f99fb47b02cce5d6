import { useState } from 'react';
import { useNavigate } from 'react-router';
import { paths } from '../../app/paths.ts';
import { Button } from '../../ui/Button.tsx';
import { AuthError } from './auth-client.ts';
import { useSession } from './useSession.ts';

export function SignOutButton() {
  const { signOut } = useSession();
  const navigate = useNavigate();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  const onClick = async () => {
    setBusy(true);
    setError(null);
    try {
      await signOut();
      await navigate(paths.signIn, { replace: true });
    } catch (e) {
      setError(e instanceof AuthError ? e.message : 'Could not sign out.');
      setBusy(false);
    }
  };

  return (
    <>
      <Button variant="ghost" size="small" busy={busy} onClick={() => void onClick()}>
        Sign out
      </Button>
      {error && (
        <span role="alert" className="app-inline-error">
          {error}
        </span>
      )}
    </>
  );
}
