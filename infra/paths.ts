import path from 'node:path';
import { PROJECT_ROOT } from '../config/paths';

/** moto, installed into .venv by scripts/setup.sh: the AWS emulator of the local harness. */
export const MOTO_SERVER_BIN = path.join(PROJECT_ROOT, '.venv', 'bin', 'moto_server');
