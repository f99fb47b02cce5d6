import { buttonClassName } from './Button.tsx';

/** The server's CSV exports (`GET /exports/<name>.csv`, operators and API keys). */
export type CsvExport = 'sessions' | 'audit' | 'ev-cards';

/** `/exports/<name>.csv?<filters>`, leaving out empty filters. */
export function csvExportUrl(name: CsvExport, filters: Record<string, string | null | undefined>): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(filters)) if (value) params.set(key, value);
  const query = params.toString();
  return `/exports/${name}.csv${query ? `?${query}` : ''}`;
}

/**
 * "Download CSV": a plain link to the streamed export with the page's filters, so the browser
 * downloads it itself (no rows pass through the page, whatever the size).
 */
export function CsvDownloadLink({
  name,
  filters,
  label = 'Download CSV',
}: {
  name: CsvExport;
  filters: Record<string, string | null | undefined>;
  label?: string;
}) {
  return (
    <a
      className={buttonClassName()}
      href={csvExportUrl(name, filters)}
      download
      data-testid={`download-${name}`}
    >
      {label}
    </a>
  );
}
