import { Command } from 'commander';
import { addEngineCommands } from './engine-commands';
import { addIngestCommand } from './ingest-command';
import { exitCodeFor } from './io';
import { addJitCommands } from './jit-commands';
import { addResponseCommands } from './response-commands';

const program = new Command('idra')
  .description('Identity response automation for non-human identities (on Temporal)')
  .showHelpAfterError()
  // `idra guard set … --json` is the subcommand's option, not `idra guard`'s.
  .enablePositionalOptions()
  .exitOverride();
addResponseCommands(program);
addEngineCommands(program);
addJitCommands(program);
addIngestCommand(program);

program.parseAsync(process.argv).catch((error: unknown) => {
  process.exitCode = exitCodeFor(error);
});
