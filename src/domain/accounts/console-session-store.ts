/**
 * What console sessions keep beyond the staff token itself, shared by every node of a deployment
 * (the service database): the idle clock of each session, by a hash of its token.
 */
export interface ConsoleSessionStore {
  /** When the session with this token hash was last recorded as used (ms), or null. */
  lastSeen(tokenHash: string): number | null;
  /** Records a use at `atMs`. */
  touch(tokenHash: string, atMs: number): void;
  forget(tokenHash: string): void;
  /** Forgets every session last used before `beforeMs`; returns how many. */
  sweep(beforeMs: number): number;
}

/** Secrets every node must share, each made once by whichever node first needs it. */
export interface SharedSecrets {
  /** The secret `name`: the stored one, or `make()` stored now if there is none yet. */
  secret(name: string, make: () => Uint8Array): Uint8Array;
}
