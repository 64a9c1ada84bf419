import { DomainError } from '../../domain/errors.ts';
import type { RateLimitCounter } from '../../domain/rate-limits.ts';
import type { PdfInspector, VerificationPorts } from '../../domain/verification/ports.ts';
import { verify } from '../../domain/verification/verify.ts';
import { verifyPdf } from '../../domain/verification/verify-pdf.ts';
import { mediaType, readRawBody } from '../read-body.ts';
import { defineRoute, type Route } from '../route.ts';

/** A certificate PDF is ~50 KB; rare-name fonts and a long chain stay far below this. */
const pdfLimitBytes = 4 * 1024 * 1024;

/**
 * PDF verifications per client address per minute: a PDF costs far more than a QR or a signed
 * e-licence to check, so one address cannot keep the PDF workers busy for everyone. A fixed
 * window, counted in the shared counters (`name` keeps this limit's keys apart), so the allowance
 * is one per address across every node, not one per node.
 */
export function createPerAddressLimit(counter: RateLimitCounter, name: string, perMinute: number, now: () => number) {
  return (address: string): boolean => counter.hit(`${name}:${address}`, 60_000, now()).hits <= perMinute;
}

export function verificationRoutes(deps: {
  verification: VerificationPorts;
  pdf: PdfInspector;
  pdfPerAddressPerMinute: number;
  rateLimits: RateLimitCounter;
}): Route[] {
  const allowPdf = createPerAddressLimit(deps.rateLimits, 'api:pdf-verifications', deps.pdfPerAddressPerMinute, () =>
    Date.now(),
  );
  return [
    defineRoute({
      method: 'post',
      path: '/api/v1/verifications',
      summary: 'Verify a QR text, a signed e-licence, or a PDF e-certificate (application/pdf body)',
      tag: 'verification',
      access: 'public',
      body: 'verification',
      rawBody: true,
      bodyMediaTypes: ['application/pdf'],
      responses: {
        200: 'The verification result, valid or not',
        400: 'Not one of the accepted shapes',
        429: 'Too many PDF verifications from this address',
        503: 'Too many PDF verifications in progress',
      },
      responseSchema: 'VerificationResult',
      async handle({ req, readJsonBody }) {
        if (mediaType(req) === 'application/pdf') {
          if (!allowPdf(req.ip ?? '')) {
            throw new DomainError('RATE_LIMITED', 'Too many PDF verifications from this address; wait a minute');
          }
          const pdf = await readRawBody(req, pdfLimitBytes);
          return {
            status: 200,
            body: await verifyPdf(pdf, deps.pdf, deps.verification),
            headers: { 'Cache-Control': 'no-store' },
          };
        }
        const body = await readJsonBody();
        return { status: 200, body: await verify(body, deps.verification), headers: { 'Cache-Control': 'no-store' } };
      },
    }),
  ];
}
