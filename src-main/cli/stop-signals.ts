// Ctrl-C (SIGINT) and kill (SIGTERM) for a long command. The first signal aborts `controller`: the work
// stops at its next check (between files, between read chunks) and the command ends normally, saying what it
// kept. It also arms a deadline: should the command still be running then (one slow file), `force` runs
// (mark the job, close the store) and the process exits. A second signal exits at once. Either way the exit
// status is 128 + the signal's number, as a shell reports a process killed by it.
import os from 'node:os';

export interface StopSignals {
  /** The signal received, or null. */
  readonly received: NodeJS.Signals | null;
  /** 130 after SIGINT, 143 after SIGTERM, 0 when none came. */
  readonly exitCode: number;
  /** Removes the handlers (the deadline, once armed, stays: it is what guarantees the exit). */
  dispose(): void;
}

export function stopOnSignals(controller: AbortController, force: () => void, graceMs = 1000): StopSignals {
  let received: NodeJS.Signals | null = null;
  const code = () => (received ? 128 + (os.constants.signals[received] ?? 0) : 0);
  const exitNow = () => {
    try {
      force();
    } finally {
      process.exit(code());
    }
  };
  const onSignal = (sig: NodeJS.Signals) => {
    if (received) return exitNow();
    received = sig;
    process.stderr.write(`\n${sig}: stopping after the current file (again to stop at once)\n`);
    controller.abort();
    // Unref'd: it never keeps a finished process alive, yet fires if anything else still does.
    setTimeout(exitNow, graceMs).unref();
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM'];
  for (const s of signals) process.on(s, onSignal);
  return {
    get received() {
      return received;
    },
    get exitCode() {
      return code();
    },
    dispose: () => {
      for (const s of signals) process.off(s, onSignal);
    },
  };
}
