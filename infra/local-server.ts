import type http from 'node:http';
import https from 'node:https';

/** A local server (emulators/*) running in this process: where it answers, and how to stop it. */
export interface LocalServer {
  endpoint: string;
  stop(): Promise<void>;
}

/** Starts a local server on loopback (`port` 0: any free one); `what` names it in the error if it cannot. */
export async function listenOnLoopback(server: http.Server, what: string, port = 0): Promise<LocalServer> {
  await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error(`${what} has no address`);
  return {
    endpoint: `${server instanceof https.Server ? 'https' : 'http'}://127.0.0.1:${address.port}`,
    stop: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
