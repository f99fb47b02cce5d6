import { Navigate, useSearchParams } from 'react-router';
import { useQuery } from 'urql';
import { Brand } from '../../app/Brand.tsx';
import { PRODUCT_NAME, pageTitle } from '../../app/brand.ts';
import { describeError } from '../../app/errors.ts';
import { paths } from '../../app/paths.ts';
import { graphql } from '../../gql/gql.ts';
import { Card } from '../../ui/Card.tsx';
import { ErrorMessage } from '../../ui/ErrorMessage.tsx';
import { Spinner } from '../../ui/Spinner.tsx';
import { DeploymentModeNotice } from '../system/DeploymentModeNotice.tsx';
import { destinationAfterSignIn } from './roles.ts';
import { SignInForm } from './SignInForm.tsx';
import { useSession } from './useSession.ts';

const SignInPageQuery = graphql(/* GraphQL */ `
  query SignInPage {
    serverInfo {
      version
      ...DeploymentModeNotice_ServerInfo
    }
  }
`);

/** Sign-in for drivers and operators; a signed-in visitor goes straight to their home (or `?next=`). */
export function SignInPage() {
  const { state, refresh } = useSession();
  const [searchParams] = useSearchParams();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: SignInPageQuery });

  if (state.status === 'signed-in') {
    return <Navigate replace to={destinationAfterSignIn(state.session.user, searchParams.get('next'))} />;
  }

  return (
    <main className="auth-page" id="main">
      <title>{pageTitle('Sign in')}</title>
      <div className="auth-page__panel">
        <Brand name={PRODUCT_NAME} to={paths.driverDashboard} className="auth-page__brand" />
        <Card title="Sign in" titleAs="h1" subtitle="Drivers and operators sign in here.">
          <div className="app-stack app-stack--tight">
            {fetching && !data ? (
              <Spinner size="small" label="Loading deployment details…" showLabel />
            ) : error && !data ? (
              <ErrorMessage
                compact
                title="Could not load deployment details"
                onRetry={() => reexecute({ requestPolicy: 'network-only' })}
              >
                {describeError(error)}
              </ErrorMessage>
            ) : data ? (
              <DeploymentModeNotice serverInfo={data.serverInfo} />
            ) : null}

            {state.status === 'signed-out' && state.error && (
              <ErrorMessage compact title="Could not check your session" onRetry={() => void refresh()}>
                {state.error}
              </ErrorMessage>
            )}

            {state.status === 'loading' ? <Spinner block label="Checking your session…" /> : <SignInForm />}
          </div>
        </Card>
        {data && (
          <p className="auth-page__footer">
            {PRODUCT_NAME} {data.serverInfo.version}
          </p>
        )}
      </div>
    </main>
  );
}
