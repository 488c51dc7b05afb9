import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';

export interface LocalTls {
  /** The CA certificate that signed the server's: trust it with NODE_EXTRA_CA_CERTS. */
  caFile: string;
  key: string;
  cert: string;
}

/**
 * A certificate authority made for this run and a server certificate it signs for 127.0.0.1 and localhost,
 * so local HTTPS servers can be trusted by clients the ordinary way (never by turning verification off).
 * Uses the openssl command; the keys stay in `dir`.
 */
export function makeLocalTls(dir: string): LocalTls {
  fs.mkdirSync(dir, { recursive: true });
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'] });
  openssl(
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    '/CN=idra local test CA',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.crt'),
    '-addext',
    'basicConstraints=critical,CA:TRUE',
    '-addext',
    'keyUsage=critical,keyCertSign,cRLSign',
  );
  openssl(
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
  );
  fs.writeFileSync(file('server.ext'), 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n');
  openssl(
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.crt'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    file('server.ext'),
    '-out',
    file('server.crt'),
  );
  return {
    caFile: file('ca.crt'),
    key: fs.readFileSync(file('server.key'), 'utf8'),
    cert: fs.readFileSync(file('server.crt'), 'utf8'),
  };
}

/**
 * Makes this process trust the CA from now on (for a harness process that started before the CA existed;
 * other processes get NODE_EXTRA_CA_CERTS at their start).
 */
export function trustInThisProcess(caFile: string): void {
  tls.setDefaultCACertificates([...tls.getCACertificates('default'), fs.readFileSync(caFile, 'utf8')]);
}
