import { createContext } from 'react';
import type { AuthSession, PolarisAuthClient } from './auth-client.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'signed-in'; session: AuthSession }
  /** `error` is set when the session could not be checked (server unreachable): shown, treated as signed out. */
  | { status: 'signed-out'; error: string | null };

export interface SessionContextValue {
  state: SessionState;
  /** The better-auth client the session comes from (sign-in, admin actions). */
  client: PolarisAuthClient;
  /** Re-reads the session from the server and resolves with the new state. */
  refresh(): Promise<SessionState>;
  signOut(): Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);
