import type { Job } from 'pg-boss';
import type { JobPayloads } from '../../lib/jobs.ts';
import {
  COMMAND_QUEUE,
  expireCommands,
  executeCommand,
  workerQueues,
  type CommandDeps,
} from './commands.service.ts';

/**
 * Runs operator commands off the request: SteVe's operation call blocks up to 30 s, so each command
 * is a job on `commands.run`, taken by whichever instance is free. A sweep closes commands whose job
 * was lost (instance died mid-call) as TIMED_OUT.
 */
export class CommandWorker {
  readonly #deps: CommandDeps;
  #timer: NodeJS.Timeout | null = null;
  #started = false;

  constructor(deps: CommandDeps) {
    this.#deps = deps;
  }

  async start(): Promise<void> {
    if (this.#started) return;
    const { jobs } = this.#deps;
    await jobs.start();
    await jobs.createQueue(COMMAND_QUEUE, {
      // Never retried: a command that may have reached the charger must not be sent twice.
      retryLimit: 0,
      expireInSeconds: 120,
      deleteAfterSeconds: 24 * 60 * 60,
    });
    // Several at once: each mostly waits on SteVe.
    await jobs.work(COMMAND_QUEUE, { pollingIntervalSeconds: 0.5, localConcurrency: 4 }, (job) =>
      this.#handle(job),
    );
    workerQueues.add(jobs);
    this.#started = true;
    this.#timer = setInterval(() => void this.sweep(), 30_000);
    this.#timer.unref();
  }

  async stop(): Promise<void> {
    if (!this.#started) return;
    this.#started = false;
    workerQueues.delete(this.#deps.jobs);
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
    await this.#deps.jobs.offWork(COMMAND_QUEUE);
  }

  async sweep(): Promise<string[]> {
    try {
      return await expireCommands(this.#deps);
    } catch (error) {
      this.#deps.logger.warn({ err: (error as Error).message }, 'command sweep failed');
      return [];
    }
  }

  async #handle(job: Job<JobPayloads[typeof COMMAND_QUEUE]>): Promise<void> {
    await executeCommand(this.#deps, job.data.commandId);
  }
}
