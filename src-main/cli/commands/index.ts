import type { CAC } from 'cac';
import { registerAgreement } from './agreement';
import { registerBench } from './bench';
import { registerDiscover } from './discover';
import { registerEmbed } from './embed';
import { registerMerge } from './merge';
import { registerRelink } from './relink';
import { registerServe } from './serve';
import { registerTrain } from './train';
import { registerEvaluate } from './evaluate';
import { registerSimulate } from './simulate';
import { registerStoreCommands } from './store-commands';

/** Every eodn subcommand, in the order `eodn --help` lists them. */
export function registerCommands(cli: CAC): void {
  registerServe(cli);
  registerEvaluate(cli);
  registerSimulate(cli);
  registerEmbed(cli);
  registerTrain(cli);
  registerDiscover(cli);
  registerBench(cli);
  registerStoreCommands(cli);
  registerRelink(cli);
  registerAgreement(cli);
  registerMerge(cli);
}
