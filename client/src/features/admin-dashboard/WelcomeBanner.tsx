import { Link } from 'react-router';
import { CONSOLE_NAME } from '../../app/brand.ts';
import { paths } from '../../app/paths.ts';

/**
 * First run (no charger ever seen, no sync run completed): the onboarding runbook's steps. When the
 * fleet is empty because SteVe cannot be reached, it says so first, with the fix.
 */
export function WelcomeBanner({ steveUnreachable }: { steveUnreachable: string | null }) {
  return (
    <section className="dash-welcome" data-testid="welcome-banner" aria-label="Welcome">
      <h2>Welcome to {CONSOLE_NAME}</h2>
      {steveUnreachable ? (
        <div className="dash-welcome__problem" role="alert" data-testid="welcome-steve-unreachable">
          <p>
            <strong>SteVe cannot be reached, so no charger can come in yet.</strong> {steveUnreachable}
          </p>
          <p>
            Fix: make sure SteVe is running and reachable from this server, and that <code>STEVE_URL</code>,{' '}
            <code>STEVE_API_USER</code>, <code>STEVE_API_PASSWORD</code> and <code>STEVE_DB_URL</code> are
            right (see the README’s configuration table). The sync keeps retrying on its own; your chargers
            appear here after the first successful run.
          </p>
        </div>
      ) : (
        <p>No charger has been seen and no sync run has completed yet. To get started:</p>
      )}
      <ol className="dash-welcome__steps">
        <li>
          <strong>Register your first charge point in SteVe</strong> with the chargeBoxId printed on the unit,
          and point the charger’s OCPP endpoint at SteVe. After its first BootNotification, the next sync run
          brings it in here.
        </li>
        <li>
          <strong>Activate your first EV card</strong> under <Link to={paths.admin.cards}>EV Cards</Link>.
        </li>
        <li>
          <strong>Link the card to a Lago customer</strong> on its page: billing only flows once it is mapped.
        </li>
        <li>
          <strong>Bookmark this dashboard</strong>: it is your daily check-in.
        </li>
      </ol>
    </section>
  );
}
