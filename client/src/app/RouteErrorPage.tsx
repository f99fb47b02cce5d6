import { isRouteErrorResponse, useRouteError } from 'react-router';
import { Button } from '../ui/Button.tsx';
import { NotFoundPage } from './NotFoundPage.tsx';
import { StatusPage } from './StatusPage.tsx';

/** Shown when a page throws while rendering: say so plainly and offer a reload. */
export function RouteErrorPage() {
  const error = useRouteError();
  if (isRouteErrorResponse(error) && error.status === 404) return <NotFoundPage />;
  console.error(error);
  return (
    <StatusPage
      code="Error"
      title="This page stopped working"
      actions={
        <Button variant="primary" onClick={() => window.location.reload()}>
          Reload the page
        </Button>
      }
    >
      Something unexpected went wrong while showing this page. Reloading usually fixes it; if it keeps
      happening, tell your operator what you were doing.
    </StatusPage>
  );
}
