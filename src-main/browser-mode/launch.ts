// Starts browser mode: a StudioService on a project (the demo project by default) behind the loopback server.
import fs from 'node:fs';
import pkg from '../../package.json';
import { openDemoProject } from '../api/demo-project';
import { StudioService } from '../api/studio-service';
import { defaultDataDir, ensureDataDir, rendererDir } from '../app/paths';
import { startBrowserServer, type BrowserServer } from './server';

export interface LaunchOptions {
  project?: string;
  port?: number;
  dataDir?: string;
}

export async function launchBrowserMode(options: LaunchOptions = {}): Promise<BrowserServer> {
  const staticDir = rendererDir();
  if (!fs.existsSync(`${staticDir}/index.html`)) throw new Error(`the renderer is not built (${staticDir}): run "npm run build"`);
  const dataDir = ensureDataDir(options.dataDir ?? defaultDataDir());
  const service = new StudioService({ transport: 'browser', dataDir, version: pkg.version });
  if (options.project) service.openProject(options.project);
  else await openDemoProject(service, dataDir);

  const server = await startBrowserServer({ service, staticDir, port: options.port });
  const project = service.currentStore?.info();
  console.log(`E-ODN Studio (browser mode) on project "${project?.name}" (${project?.clipCount} clips): ${server.launchUrl}`);
  if (project?.readOnly) console.log(`The project is open read-only (${project.readOnly}): answers, classes and models cannot be saved.`);

  const stop = () => {
    // A running training is cancelled and awaited, so the project keeps its previous version cleanly.
    void server
      .close()
      .then(() => service.shutdown())
      .finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  return server;
}
