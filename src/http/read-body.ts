import type { Request } from 'express';
import { DomainError, invalidRequest } from '../domain/errors.ts';

export const jsonBodyLimitBytes = 256 * 1024;
const maxDepth = 16;
const forbiddenKeys = new Set(['__proto__', 'constructor', 'prototype']);

/** Reads the raw body up to `limitBytes`; a larger body is refused before it is buffered whole. */
export async function readRawBody(req: Request, limitBytes: number): Promise<Buffer> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limitBytes) throw tooLarge(limitBytes);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limitBytes) {
      req.unpipe();
      req.resume();
      throw tooLarge(limitBytes);
    }
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks);
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
export async function readJsonBody(req: Request, limitBytes = jsonBodyLimitBytes): Promise<unknown> {
  if (mediaType(req) !== 'application/json') {
    throw invalidRequest(
      [{ path: 'Content-Type', message: 'must be application/json' }],
      'The request body must be JSON (Content-Type: application/json)',
    );
  }
  const raw = await readRawBody(req, limitBytes);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(raw);
  } catch {
    throw invalidRequest([{ path: 'body', message: 'is not valid UTF-8' }]);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw invalidRequest([{ path: 'body', message: `is not valid JSON: ${(error as Error).message}` }]);
  }
  checkShape(value, 'body', 0);
  return value;
}

/** Walks the parsed body once; a too-deep value is reported at its top-level field. */
function checkShape(value: unknown, path: string, depth: number, field = path): void {
  if (value === null || typeof value !== 'object') return;
  if (depth >= maxDepth) {
    throw new DomainError('INVALID_REQUEST', 'The request body is nested too deeply', [
      { path: field, message: `nesting deeper than ${maxDepth} levels` },
    ]);
  }
  const topLevel = depth === 0;
  for (const key of Object.keys(value)) {
    const child = topLevel ? key : `${path}.${key}`;
    if (forbiddenKeys.has(key)) throw invalidRequest([{ path: child, message: `the key "${key}" is not allowed` }]);
    // Arrays at the top are no request shape; their depth is reported against the body itself.
    checkShape(
      (value as Record<string, unknown>)[key],
      child,
      depth + 1,
      topLevel ? (Array.isArray(value) ? 'body' : key) : field,
    );
  }
}
