// eodn: the studio's engine without a window, for batch work and benchmarks.
// Each command lives in its own module under ./commands and registers itself on the shared cac instance.
import { cac } from 'cac';
import pkg from '../../package.json';
import { registerCommands } from './commands';

export function buildCli() {
  const cli = cac('eodn');
  registerCommands(cli);
  cli.help();
  cli.version(pkg.version);
  return cli;
}

async function main(argv: string[]): Promise<void> {
  const cli = buildCli();
  cli.parse(argv, { run: false });
  if (!cli.matchedCommand && cli.args.length > 0) {
    console.error(`eodn: unknown command "${cli.args[0]}". Run "eodn --help" for the list.`);
    process.exitCode = 2;
    return;
  }
  if (!cli.matchedCommand && !cli.options.help && !cli.options.version) {
    cli.outputHelp();
    return;
  }
  await cli.runMatchedCommand();
}

main(process.argv).catch((e: unknown) => {
  console.error(`eodn: ${(e as Error).message}`);
  process.exitCode = 1;
});
