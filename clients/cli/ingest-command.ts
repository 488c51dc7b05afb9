import type { Command } from 'commander';

/** ingest: run the HTTP server detection systems push findings to (a process role of its own). */
export function addIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'run the HTTP ingest: detection systems push findings (idra signals, EventBridge GuardDuty findings) and each starts or joins a response (IDRA_INGEST_*)',
    )
    .action(async () => {
      // Loaded only here: the other commands never load the HTTP server.
      const { runIngest } = await import('../../ingest/main');
      await runIngest();
    });
}
