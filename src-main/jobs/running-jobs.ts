// The jobs running in this process, by job id: the studio's imports (api/projects.ts) and trainings
// (training/training-jobs.ts). Each can be asked to stop and awaited; its owner removes it when it has ended.
export interface RunningJob {
  /** The project file it runs on. */
  projectFile: string;
  /** Resolves once the job's outcome was recorded and announced. */
  done: Promise<void>;
  /** Asks it to stop (it still ends through `done`). */
  cancel(): void;
}

export class RunningJobs<J extends RunningJob = RunningJob> {
  private readonly jobs = new Map<string, J>();

  add(jobId: string, job: J): void {
    this.jobs.set(jobId, job);
  }

  remove(jobId: string): void {
    this.jobs.delete(jobId);
  }

  has(jobId: string): boolean {
    return this.jobs.has(jobId);
  }

  get size(): number {
    return this.jobs.size;
  }

  /** The jobs running on `projectFile`. */
  on(projectFile: string): J[] {
    return [...this.jobs.values()].filter((j) => j.projectFile === projectFile);
  }

  /** True when `jobId` is running here (now asked to stop). */
  cancel(jobId: string): boolean {
    const job = this.jobs.get(jobId);
    job?.cancel();
    return !!job;
  }

  /** Resolves when the job has ended (at once for one not running). */
  async wait(jobId: string): Promise<void> {
    await this.jobs.get(jobId)?.done;
  }

  /** Asks every job to stop and waits for them all. */
  async shutdown(): Promise<void> {
    const all = [...this.jobs.values()];
    for (const j of all) j.cancel();
    await Promise.all(all.map((j) => j.done));
  }
}
