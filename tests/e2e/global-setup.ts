// Builds the bundles once before the end-to-end tests, so they drive the code in this checkout.
import fs from 'node:fs';
import { createRequire } from 'node:module';

export default async function setup(): Promise<void> {
  const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
  if (!fs.existsSync(chromium)) {
    throw new Error(`The end-to-end tests drive Debian's Chromium, not found at ${chromium}: install it (apt-get install chromium) or set CHROMIUM_PATH.`);
  }
  const require = createRequire(import.meta.url);
  const { buildMainSync, buildRenderer } = require('../../scripts/build-lib.cjs') as {
    buildMainSync: () => boolean;
    buildRenderer: () => Promise<boolean>;
  };
  buildMainSync();
  await buildRenderer();
}
