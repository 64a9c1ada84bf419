import { createHash, randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/**
 * This service process among the processes sharing one database, and whether another one is
 * still running: what a reservation's holder is checked against before its number is voided as
 * abandoned.
 */
export interface Presence {
  /** This process's name while its connection is open (a new one at every start). */
  readonly self: string;
  /** Whether the process named `node` (null: a row from before holders were kept) still runs. */
  isAlive(node: string | null): boolean;
}

/** A new process name: host, PID and a random part (a process may open several connections). */
export const newNodeName = () => `${hostname()}:${process.pid}:${randomBytes(6).toString('hex')}`;

/** Connections open in this process, by name: a service stopped and started again in-process is another one. */
const openHere = new Set<string>();

/**
 * SQLite: the processes sharing a database file are on this machine. A process is alive while its
 * PID runs — and, for one of this process, while its connection is open.
 */
export function localPresence(): Presence & { close(): void } {
  const host = hostname();
  const self = newNodeName();
  openHere.add(self);
  return {
    self,
    isAlive(node) {
      if (node === null) return false;
      const [nodeHost, pid] = node.split(':');
      if (nodeHost !== host) return true; // not ours to judge
      if (Number(pid) === process.pid) return openHere.has(node);
      try {
        process.kill(Number(pid), 0);
        return true;
      } catch (error) {
        return (error as NodeJS.ErrnoException).code === 'EPERM';
      }
    },
    close: () => void openHere.delete(self),
  };
}

/** The advisory-lock namespace of process presence (the first key of the two-key form). */
export const PRESENCE_LOCKS = 0x62_63_33; // "bc3"

/** The second key of a process's presence lock. */
export const presenceKey = (node: string) => createHash('sha256').update(node).digest().readInt32BE(0);

/**
 * PostgreSQL: each process holds a session advisory lock on its own key for as long as its
 * connection lives (taken again when it reconnects); the server drops it the moment the process
 * or its connection dies. Another process is alive while it cannot take that lock.
 */
export function postgresPresence(self: string, tryLock: (key: number) => boolean): Presence {
  return {
    self,
    isAlive: (node) => node !== null && (node === self || !tryLock(presenceKey(node))),
  };
}
