// A terminal progress bar on stderr when it is a terminal; a line every few seconds otherwise (CI logs).
import cliProgress from 'cli-progress';

export interface ProgressReporter {
  update(done: number, total: number, detail?: string): void;
  stop(): void;
}

export function progressBar(label: string): ProgressReporter {
  if (process.stderr.isTTY) {
    const bar = new cliProgress.SingleBar(
      { format: `${label} [{bar}] {value}/{total} {percentage}% | ETA {eta_formatted} | {detail}`, stream: process.stderr, hideCursor: true },
      cliProgress.Presets.shades_classic,
    );
    let started = false;
    return {
      update(done, total, detail = '') {
        if (!started) {
          bar.start(total, done, { detail });
          started = true;
        }
        bar.setTotal(total);
        bar.update(done, { detail: detail.slice(-40) });
      },
      stop: () => started && bar.stop(),
    };
  }
  let last = 0;
  return {
    update(done, total) {
      const now = Date.now();
      if (now - last > 5000 || done === total) {
        last = now;
        process.stderr.write(`${label}: ${done}/${total}\n`);
      }
    },
    stop() {},
  };
}
