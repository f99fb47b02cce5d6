// @vitest-environment happy-dom
import { cleanup, render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { createPolarisAuthClient } from './auth-client.ts';
import { SessionProvider } from './SessionProvider.tsx';
import { SignInForm } from './SignInForm.tsx';
import { useSession } from './useSession.ts';

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });

const SESSION = {
  session: { id: 's1', userId: 'u1', expiresAt: '2030-01-01T00:00:00.000Z', token: 'x' },
  user: { id: 'u1', email: 'ada@example.test', name: 'Ada', role: 'customer', status: 'ACTIVE' },
};

/**
 * better-auth's real client, in front of a server that answers as better-auth does: the form as a
 * person uses it (type, press the button, read what it says).
 */
function renderForm(server: {
  signIn: (body: { email: string; password: string }) => Response;
  session: () => unknown;
}) {
  const seen: Array<{ email: string; password: string }> = [];
  const fetchImpl: typeof fetch = async (input, init) => {
    const url = new URL(String(input instanceof Request ? input.url : input));
    if (url.pathname.endsWith('/sign-in/email')) {
      const body = JSON.parse(String(init?.body)) as { email: string; password: string };
      seen.push(body);
      return server.signIn(body);
    }
    if (url.pathname.endsWith('/get-session')) return json(server.session());
    return json({ message: 'not found' }, 404);
  };
  const client = createPolarisAuthClient({ baseURL: 'http://polaris.test', fetch: fetchImpl });
  function Status() {
    const { state } = useSession();
    return <output data-testid="status">{state.status}</output>;
  }
  render(
    <SessionProvider client={client}>
      <SignInForm />
      <Status />
    </SessionProvider>,
  );
  return { seen };
}

async function fillAndSubmit(email: string, password: string) {
  const user = userEvent.setup();
  await user.type(screen.getByLabelText('Email'), email);
  await user.type(screen.getByLabelText('Password'), password);
  await user.click(screen.getByRole('button', { name: 'Sign in' }));
}

describe('SignInForm', () => {
  afterEach(cleanup);

  it('signs in: the session says signed in and no error shows; the email is sent trimmed', async () => {
    let signedIn = false;
    const { seen } = renderForm({
      signIn: () => {
        signedIn = true;
        return json({ redirect: false, user: SESSION.user });
      },
      session: () => (signedIn ? SESSION : null),
    });
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('signed-out'));
    await fillAndSubmit('  ada@example.test ', 'correct horse');
    await waitFor(() => expect(screen.getByTestId('status').textContent).toBe('signed-in'));
    expect(screen.queryByRole('alert')).toBeNull();
    expect(seen).toEqual([{ email: 'ada@example.test', password: 'correct horse' }]);
  });

  it("shows the server's words for a wrong password and stays signed out", async () => {
    renderForm({
      signIn: () => json({ code: 'INVALID_EMAIL_OR_PASSWORD', message: 'Invalid email or password' }, 401),
      session: () => null,
    });
    await fillAndSubmit('ada@example.test', 'wrong');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('Sign-in failed');
    expect(alert.textContent).toContain('Invalid email or password');
    expect(screen.getByTestId('status').textContent).toBe('signed-out');
    expect(screen.getByRole('button', { name: 'Sign in' }).hasAttribute('disabled')).toBe(false);
  });

  it('says so when the browser did not keep the session cookie', async () => {
    renderForm({ signIn: () => json({ redirect: false, user: SESSION.user }), session: () => null });
    await fillAndSubmit('ada@example.test', 'correct horse');
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('did not keep the session');
  });
});
