import type { CAC } from 'cac';
import { launchBrowserMode } from '../../browser-mode/launch';

export function registerServe(cli: CAC): void {
  cli
    .command('serve [project]', 'Serve the studio in browser mode on 127.0.0.1 (the demo project when none is given)')
    .option('--port <port>', 'Port to listen on (default: a random free port)')
    .action(async (project: string | undefined, opts: { port?: string }) => {
      await launchBrowserMode({ project, port: opts.port ? Number(opts.port) : undefined });
    });
}
