import type { CAC } from 'cac';
import { registerServe } from './serve';
import { registerStoreCommands } from './store-commands';

/** Every eodn subcommand, in the order `eodn --help` lists them. */
export function registerCommands(cli: CAC): void {
  registerServe(cli);
  registerStoreCommands(cli);
}
