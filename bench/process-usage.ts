import fs from 'node:fs';
import os from 'node:os';

/** CPU seconds (user + system) a process has used so far, from /proc (Linux). */
export function cpuSeconds(pid: number): number {
  // Fields after the command name (which may hold spaces, so split after its closing parenthesis).
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  const ticks = Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14]);
  return ticks / 100;
}

/** A process's resident memory in MB, now. */
export function rssMegabytes(pid: number): number {
  const kilobytes = Number(/VmRSS:\s+(\d+)/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1] ?? 0);
  return Math.round(kilobytes / 1024);
}

/** The machine, for the report: cores and model. */
export function machine(): string {
  return `${os.cpus().length} cores, ${os.cpus()[0]?.model ?? 'unknown CPU'}`;
}

/** CPU seconds a group of processes (one part of the system: the server, the responses workers…) has used. */
export function groupCpuSeconds(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + cpuSeconds(pid), 0);
}

/** A group of processes' resident memory in MB, now. */
export function groupRssMegabytes(pids: readonly number[]): number {
  return pids.reduce((sum, pid) => sum + rssMegabytes(pid), 0);
}
