import type { Request } from 'express';
import { DomainError, invalidRequest } from '../domain/errors.ts';

export const jsonBodyLimitBytes = 256 * 1024;
const maxDepth = 16;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);
/** One decoder for every body: a non-streaming `decode` starts afresh each call. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/**
 * Reads the raw body up to `limitBytes`; a larger body is refused before it is buffered whole.
 * Plain stream events rather than `for await`: the async iterator costs a promise per chunk and
 * a few microseconds per request on the hottest route (verification).
 */
export function readRawBody(req: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) return Promise.reject(tooLarge(limitBytes));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanUp = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
      req.off('close', onClose);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        cleanUp();
        req.unpipe();
        req.resume();
        reject(tooLarge(limitBytes));
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanUp();
      resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks, size));
    };
    const onError = (error: Error) => {
      cleanUp();
      reject(error);
    };
    // A client that goes away before the end: the same failure `for await` gave (premature close).
    const onClose = () => {
      cleanUp();
      reject(Object.assign(new Error('Premature close'), { code: 'ERR_STREAM_PREMATURE_CLOSE' }));
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
    req.on('close', onClose);
    if (req.readableEnded) onEnd();
  });
}

const tooLarge = (limitBytes: number) =>
  invalidRequest([{ path: 'body', message: `the body exceeds ${limitBytes} bytes` }], 'The request body is too large');

export function mediaType(req: Request): string {
  return (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
}

/**
 * Parses a JSON request body. Refuses other media types, invalid UTF-8 or JSON, nesting deeper
 * than any request needs, and prototype-polluting keys — each as a 400 naming where.
 */
export function readJsonBody(req: Request, limitBytes = jsonBodyLimitBytes): Promise<unknown> {
  // A body-keyed rate limit (app.ts) reads the body before the route does: one parse, one answer.
  let parsed = parsedBodies.get(req);
  if (!parsed) {
    parsed = parseJsonBody(req, limitBytes);
    parsedBodies.set(req, parsed);
  }
  return parsed;
}

const parsedBodies = new WeakMap<Request, Promise<unknown>>();

async function parseJsonBody(req: Request, limitBytes: number): Promise<unknown> {
  if (mediaType(req) !== 'application/json') {
    throw invalidRequest(
      [{ path: 'Content-Type', message: 'must be application/json' }],
      'The request body must be JSON (Content-Type: application/json)',
    );
  }
  const raw = await readRawBody(req, limitBytes);
  let text: string;
  try {
    text = utf8.decode(raw);
  } catch {
    throw invalidRequest([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidRequest([{ path: 'body', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  checkShape(value);
  return value;
}

/**
 * Walks the parsed body once. A too-deep value is reported where its degenerate nesting starts:
 * the shallowest node from which every level down has a single child, e.g. `mother.name` for
 * `{"mother":{"name":{"a":{"a":…}}}}`, or the body itself for `[[[[…]]]]`.
 */
function checkShape(value: unknown): void {
  const path: string[] = [];
  const singleChild: boolean[] = [];
  const walk = (node: unknown): void => {
    if (node === null || typeof node !== 'object') return;
    const keys = Object.keys(node);
    if (path.length >= maxDepth) {
      // A top-level field is always named; only a top-level array is reported as the body.
      const floor = Array.isArray(value) ? 0 : 1;
      let start = path.length;
      while (start > floor && singleChild[start - 1]) start--;
      const at = start === 0 ? 'body' : path.slice(0, start).join('.');
      throw new DomainError('INVALID_REQUEST', 'The request body is nested too deeply', [
        { path: at, message: `nesting deeper than ${maxDepth} levels` },
      ]);
    }
    for (const key of keys) {
      path.push(key);
      if (forbiddenKeys.has(key))
        throw invalidRequest([{ path: path.join('.'), message: `the key "${key}" is not allowed` }]);
      singleChild.push(keys.length === 1);
      walk((node as Record<string, unknown>)[key]);
      singleChild.pop();
      path.pop();
    }
  };
  walk(value);
}
