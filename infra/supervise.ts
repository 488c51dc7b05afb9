import type { ServiceProcess } from './service-process';

export interface SupervisionPolicy {
  /** Restarts allowed within `withinMs`; 0: the service's death stops everything. */
  maxRestarts: number;
  withinMs: number;
  /** Why the service is not restarted, said when it dies (e.g. its state lives only in memory). */
  notRestartedBecause?: string;
}

export interface Supervised {
  name: string;
  /** The process that runs the service now (a restart replaces it). */
  current(): ServiceProcess;
  /** Stops the service (whichever process runs it now); an exit from here on is not a crash. */
  stop(): Promise<void>;
}

/**
 * Watches a service started by `npm start`: when its process dies on its own, restarts it (at most
 * `maxRestarts` within the window, each said on the console), or gives up — `giveUp` gets a message that
 * says what died and where its log is, and is expected to stop everything.
 */
export function supervise(
  first: ServiceProcess,
  start: () => Promise<ServiceProcess>,
  policy: SupervisionPolicy,
  say: (line: string) => void,
  giveUp: (message: string) => void,
): Supervised {
  let current = first;
  let stopping = false;
  const restarts: number[] = [];

  const watch = (service: ServiceProcess) => {
    service.child.once('exit', (code, signal) => {
      if (stopping) return;
      const how = signal ? `killed by ${signal}` : `exited with code ${code}`;
      const now = Date.now();
      while (restarts.length && (restarts[0] ?? 0) < now - policy.withinMs) restarts.shift();
      if (policy.maxRestarts === 0 || restarts.length >= policy.maxRestarts) {
        const why =
          policy.maxRestarts === 0
            ? (policy.notRestartedBecause ?? 'it is not restarted')
            : `it died ${restarts.length + 1} times within ${Math.round(policy.withinMs / 1000)}s`;
        giveUp(`${service.name} ${how}; ${why}: stopping everything. Its log: ${service.logFile}`);
        return;
      }
      restarts.push(now);
      say(
        `${service.name} ${how}: restarting it (${restarts.length} of ${policy.maxRestarts} within ${Math.round(policy.withinMs / 1000)}s). Its log: ${service.logFile}`,
      );
      start().then(
        (next) => {
          if (stopping) return void next.stop();
          current = next;
          watch(next);
          say(`${service.name} is running again`);
        },
        (error: unknown) =>
          giveUp(
            `${service.name} ${how} and could not be restarted (${error instanceof Error ? error.message.split('\n')[0] : String(error)}): stopping everything. Its log: ${service.logFile}`,
          ),
      );
    });
  };
  watch(first);

  return {
    name: first.name,
    current: () => current,
    stop: () => {
      stopping = true;
      return current.stop();
    },
  };
}
