import { useState, type FormEvent } from 'react';
import { Button } from '../../ui/Button.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { TextField } from '../../ui/TextField.tsx';
import { useSignIn } from './useSignIn.ts';

export function SignInForm() {
  const { signIn, pending, error } = useSignIn();
  const [email, setEmail] = useState('');
  const [password, setPassword] = useState('');

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void signIn({ email: email.trim(), password });
  };

  return (
    <form className="auth-form" onSubmit={onSubmit} aria-busy={pending || undefined}>
      {error && (
        <ErrorMessage title="Sign-in failed" compact>
          {error}
        </ErrorMessage>
      )}
      <TextField
        label="Email"
        name="email"
        type="email"
        autoComplete="username"
        inputMode="email"
        autoCapitalize="none"
        spellCheck={false}
        required
        value={email}
        onChange={(event) => setEmail(event.target.value)}
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="current-password"
        required
        value={password}
        onChange={(event) => setPassword(event.target.value)}
      />
      <Button type="submit" variant="primary" busy={pending}>
        {pending ? 'Signing in…' : 'Sign in'}
      </Button>
    </form>
  );
}
