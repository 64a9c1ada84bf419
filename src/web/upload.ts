import busboy from 'busboy';
import type { Request } from 'express';

/** The API takes PDFs up to 4 MB (verification-routes.ts); the page says so and refuses more. */
export const uploadLimitBytes = 4 * 1024 * 1024;

export type Upload =
  | { kind: 'file'; bytes: Buffer; fields: Record<string, string> }
  | { kind: 'none' }
  | { kind: 'too-large' };

/**
 * The first file of a multipart form, read up to `limitBytes`; the rest of a larger body is
 * drained unread, so the page can answer "too large" instead of a broken connection.
 */
export function readUpload(req: Request, limitBytes: number): Promise<Upload> {
  const type = req.headers['content-type'] ?? '';
  if (!type.toLowerCase().startsWith('multipart/form-data')) return Promise.resolve({ kind: 'none' });
  return new Promise((resolve) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({ headers: req.headers, limits: { files: 1, fileSize: limitBytes, fields: 10, parts: 20 } });
    } catch {
      resolve({ kind: 'none' });
      return;
    }
    let result: Upload = { kind: 'none' };
    // Text fields before the file (a console form's CSRF token) come with it.
    const fields: Record<string, string> = {};
    parser.on('field', (name, value) => {
      if (name.length <= 64 && value.length <= 256) fields[name] = value;
    });
    parser.on('file', (_name, stream) => {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      // A form cut short fails the file's stream as well as the parser; the parser's error answers.
      stream.on('error', () => {
        if (result.kind !== 'too-large') result = { kind: 'none' };
      });
      stream.on('limit', () => {
        result = { kind: 'too-large' };
      });
      stream.on('end', () => {
        if (result.kind === 'too-large') return;
        const bytes = Buffer.concat(chunks);
        result = bytes.length === 0 ? { kind: 'none' } : { kind: 'file', bytes, fields };
      });
    });
    parser.on('close', () => resolve(result));
    parser.on('error', () => resolve(result.kind === 'too-large' ? result : { kind: 'none' }));
    req.pipe(parser);
  });
}
