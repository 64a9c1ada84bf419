import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

/**
 * A full garbage collection of the calling thread's heap, on demand. V8 lets an old generation
 * grow to several times its live size before collecting it; during back-issuance the main thread
 * lives on ~40 MB but every signed record it commits is promoted garbage, so without this its
 * heap climbs to ~150 MB between collections (measured with --trace-gc). Collected every few
 * batches (~20 ms each), it stays near its live size. Node has no way to lower a running
 * thread's heap limit, so the collector is reached the documented V8 way: `--expose-gc`, set at
 * run time, makes `gc` available to new contexts. Where that is refused this is a no-op.
 */
export function heapCompactor(): () => void {
  try {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as unknown;
    if (typeof gc === 'function') return () => gc();
  } catch {
    // Not available: V8 keeps its own pace.
  }
  return () => {};
}
