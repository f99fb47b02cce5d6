import { useFragment, type FragmentType } from '../../gql/fragment-masking.ts';
import { graphql } from '../../gql/gql.ts';
import { cx } from '../../ui/cx.ts';
import { DEMO_ACCOUNTS, describeDeploymentMode } from './deployment-mode.ts';

export const DeploymentModeNotice_ServerInfoFragment = graphql(/* GraphQL */ `
  fragment DeploymentModeNotice_ServerInfo on ServerInfo {
    demo
    steveMode
    lagoMode
  }
`);

/** Says whether this is a demo, test or live deployment; demo deployments show their accounts. */
export function DeploymentModeNotice(props: {
  serverInfo: FragmentType<typeof DeploymentModeNotice_ServerInfoFragment>;
}) {
  const serverInfo = useFragment(DeploymentModeNotice_ServerInfoFragment, props.serverInfo);
  const mode = describeDeploymentMode(serverInfo);
  if (mode.tone === 'live') return null;
  return (
    <aside className={cx('deployment-notice', mode.tone === 'demo' && 'deployment-notice--demo')}>
      <p className="deployment-notice__title">{mode.title}</p>
      {mode.detail && <p>{mode.detail}</p>}
      {mode.showDemoAccounts && (
        <p>
          Sign in as <code>{DEMO_ACCOUNTS.operator}</code> (operator) or <code>{DEMO_ACCOUNTS.driver}</code>{' '}
          (driver), password <code>{DEMO_ACCOUNTS.password}</code>.
        </p>
      )}
    </aside>
  );
}
