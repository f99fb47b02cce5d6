import { useCallback, useEffect, useRef, useState } from 'react';
import { useSubscription } from 'urql';
import { graphql } from '../../gql/gql.ts';
import { Button } from '../../ui/Button.tsx';

const DriverNotificationsSubscription = graphql(/* GraphQL */ `
  subscription DriverNotifications {
    driverNotifications {
      id
      kind
      message
      chargerName
    }
  }
`);

export interface Toast {
  id: string;
  message: string;
}

/** How long a toast stays unless dismissed. */
const TOAST_MS = 15_000;
const WATCH_KEY = 'polaris.watchedCharger';

function browserNotify(message: string): void {
  if (typeof Notification === 'undefined' || Notification.permission !== 'granted') return;
  try {
    new Notification('Polaris Express', { body: message, tag: message });
  } catch {
    // Some browsers only allow notifications from a service worker; the toast is enough.
  }
}

/** Toasts (and browser notifications when allowed) for the driver's notifications and watch. */
export function useToasts() {
  const [toasts, setToasts] = useState<Toast[]>([]);
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());
  const dismiss = useCallback((id: string) => {
    clearTimeout(timers.current.get(id));
    timers.current.delete(id);
    setToasts((all) => all.filter((t) => t.id !== id));
  }, []);
  const show = useCallback(
    (toast: Toast) => {
      setToasts((all) => (all.some((t) => t.id === toast.id) ? all : [...all, toast].slice(-4)));
      if (!timers.current.has(toast.id))
        timers.current.set(
          toast.id,
          setTimeout(() => dismiss(toast.id), TOAST_MS),
        );
      browserNotify(toast.message);
    },
    [dismiss],
  );
  useEffect(() => {
    const all = timers.current;
    return () => all.forEach((timer) => clearTimeout(timer));
  }, []);
  return { toasts, show, dismiss };
}

/** Feeds `driverNotifications` into the toasts. Renders nothing. */
export function DriverNotificationsFeed(props: { onNotification: (toast: Toast) => void }) {
  const { onNotification } = props;
  const [result] = useSubscription({ query: DriverNotificationsSubscription });
  const latest = result.data?.driverNotifications;
  useEffect(() => {
    if (latest) onNotification({ id: latest.id, message: latest.message });
  }, [latest, onNotification]);
  return null;
}

export interface WatchedCharger {
  id: string;
  name: string;
}

/** The charger the driver watches (kept in this browser), to be told when it is free. */
export function useWatchedCharger() {
  const [watched, setWatched] = useState<WatchedCharger | null>(() => {
    try {
      return JSON.parse(localStorage.getItem(WATCH_KEY) ?? 'null') as WatchedCharger | null;
    } catch {
      return null;
    }
  });
  const update = useCallback((next: WatchedCharger | null) => {
    setWatched(next);
    if (next) localStorage.setItem(WATCH_KEY, JSON.stringify(next));
    else localStorage.removeItem(WATCH_KEY);
  }, []);
  return { watched, setWatched: update };
}

/** The toasts at the bottom of the screen, and the offer to turn on browser notifications. */
export function ToastRegion(props: { toasts: Toast[]; onDismiss: (id: string) => void }) {
  const [permission, setPermission] = useState(() =>
    typeof Notification === 'undefined' ? 'unsupported' : Notification.permission,
  );
  return (
    <div className="dd-toasts" role="status" aria-live="polite" data-testid="toasts">
      {props.toasts.map((t) => (
        <div key={t.id} className="dd-toast" data-testid="toast">
          <span>{t.message}</span>
          <Button variant="ghost" onClick={() => props.onDismiss(t.id)} aria-label="Dismiss">
            ×
          </Button>
        </div>
      ))}
      {props.toasts.length > 0 && permission === 'default' && (
        <Button
          variant="secondary"
          onClick={() => void Notification.requestPermission().then((p) => setPermission(p))}
        >
          Also notify me in the browser
        </Button>
      )}
    </div>
  );
}
