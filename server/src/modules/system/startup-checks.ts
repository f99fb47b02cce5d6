/**
 * Start-up checks of the real integrations: with a real SteVe, its REST credentials, database
 * account, table grants and schema version; with a real Lago, its API key and the billable metric
 * and plan Polaris bills with. Run when the app starts; each result is logged and failures show on
 * the operator's Health card until a later check passes. The stand-ins (simulator, sandbox) have
 * nothing to check.
 *
 * A failed check is re-run in the background when Health is read and the last run is older than
 * `recheckAfterMs` (so a SteVe that was still booting clears by itself); passing checks are not
 * repeated (credentials only change with a restart).
 */
import { LagoError } from '../../integrations/lago/errors.ts';
import type { LagoPort } from '../../integrations/lago/port.ts';
import type { StevePort } from '../../integrations/steve/port.ts';
import type { Logger } from '../../lib/logger.ts';

export type StartupCheckCode =
  'STEVE_API' | 'STEVE_DATABASE' | 'STEVE_GRANTS' | 'STEVE_SCHEMA' | 'LAGO_API' | 'LAGO_SETUP';

export interface StartupCheck {
  code: StartupCheckCode;
  system: 'steve' | 'lago';
  ok: boolean;
  message: string;
}

export interface StartupReport {
  checkedAt: Date;
  ok: boolean;
  checks: StartupCheck[];
}

/** A failing check as the Health card shows it (same shape as the other health warnings). */
export interface StartupHealthWarning {
  source: 'SYNC' | 'BILLING';
  code: StartupCheckCode;
  severity: 'CRITICAL';
  message: string;
  count: number;
  since: Date;
}

export interface StartupChecksOptions {
  steve: StevePort;
  lago: LagoPort;
  logger: Logger;
  now?: () => Date;
  /** Re-run failed checks when Health is read this long after the last run (default 60 s). */
  recheckAfterMs?: number;
}

const STEVE_CODES = {
  api: 'STEVE_API',
  database: 'STEVE_DATABASE',
  grants: 'STEVE_GRANTS',
  schema: 'STEVE_SCHEMA',
} as const;

export class StartupChecks {
  readonly #options: StartupChecksOptions;
  readonly #now: () => Date;
  #latest: StartupReport | null = null;
  /** Since when each failing check has been failing. */
  readonly #failingSince = new Map<StartupCheckCode, Date>();
  #running: Promise<StartupReport> | null = null;

  constructor(options: StartupChecksOptions) {
    this.#options = options;
    this.#now = options.now ?? (() => new Date());
  }

  /** The last completed run, or null before the first one finished. */
  latest(): StartupReport | null {
    return this.#latest;
  }

  /** Runs every check (one run at a time), logs the outcome and keeps it for Health. */
  run(): Promise<StartupReport> {
    this.#running ??= this.#run().finally(() => {
      this.#running = null;
    });
    return this.#running;
  }

  /** Waits for a run in progress (app shutdown). */
  async settled(): Promise<void> {
    await this.#running?.catch(() => undefined);
  }

  /** The failing checks as Health warnings; starts a background re-check when they are stale. */
  healthWarnings(): StartupHealthWarning[] {
    const latest = this.#latest;
    if (!latest) return [];
    const failing = latest.checks.filter((c) => !c.ok);
    const recheckAfterMs = this.#options.recheckAfterMs ?? 60_000;
    if (
      failing.length > 0 &&
      !this.#running &&
      this.#now().getTime() - latest.checkedAt.getTime() >= recheckAfterMs
    ) {
      void this.run().catch(() => undefined);
    }
    return failing.map((c) => ({
      source: c.system === 'steve' ? 'SYNC' : 'BILLING',
      code: c.code,
      severity: 'CRITICAL',
      message: c.message,
      count: 1,
      since: this.#failingSince.get(c.code) ?? latest.checkedAt,
    }));
  }

  async #run(): Promise<StartupReport> {
    const [steve, lago] = await Promise.all([this.#checkSteve(), this.#checkLago()]);
    const checks = [...steve, ...lago];
    const checkedAt = this.#now();
    for (const c of checks) {
      if (c.ok) this.#failingSince.delete(c.code);
      else if (!this.#failingSince.has(c.code)) this.#failingSince.set(c.code, checkedAt);
    }
    const report: StartupReport = { checkedAt, ok: checks.every((c) => c.ok), checks };
    this.#latest = report;
    const log = this.#options.logger.child({ component: 'startup-checks' });
    for (const c of checks.filter((x) => !x.ok)) log.error({ check: c.code }, c.message);
    if (checks.length > 0) {
      log.info(
        { passed: checks.filter((c) => c.ok).map((c) => c.code), failed: checks.filter((c) => !c.ok).length },
        report.ok ? 'start-up checks passed' : 'start-up checks found problems (see Health)',
      );
    }
    return report;
  }

  async #checkSteve(): Promise<StartupCheck[]> {
    const { steve } = this.#options;
    if (!steve.checkSetup) return [];
    try {
      const report = await steve.checkSetup();
      return report.checks.map((c) => ({
        code: STEVE_CODES[c.check],
        system: 'steve',
        ok: c.ok,
        message: c.message,
      }));
    } catch (error) {
      return [
        { code: 'STEVE_API', system: 'steve', ok: false, message: `SteVe check failed: ${text(error)}` },
      ];
    }
  }

  async #checkLago(): Promise<StartupCheck[]> {
    const { lago } = this.#options;
    if (lago.kind !== 'real') return [];
    let report;
    try {
      report = await lago.checkSetup();
    } catch (error) {
      const unauthorized = error instanceof LagoError && error.code === 'unauthorized';
      return [
        {
          code: 'LAGO_API',
          system: 'lago',
          ok: false,
          message: unauthorized
            ? 'Lago refused the API key: check LAGO_API_KEY (Developers → API keys in Lago)'
            : `Lago API not usable: ${text(error)}`,
        },
      ];
    }
    return [
      { code: 'LAGO_API', system: 'lago', ok: true, message: 'Lago accepts the API key' },
      report.ok
        ? {
            code: 'LAGO_SETUP',
            system: 'lago',
            ok: true,
            message: `Lago has billable metric "${lago.metricCode}" and plan "${lago.planCode}"`,
          }
        : {
            code: 'LAGO_SETUP',
            system: 'lago',
            ok: false,
            message: `Lago setup: ${report.problems.join('; ')}`,
          },
    ];
  }
}

function text(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
