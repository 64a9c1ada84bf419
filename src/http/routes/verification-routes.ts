import type { PdfInspector, VerificationPorts } from '../../domain/verification/ports.ts';
import { verify } from '../../domain/verification/verify.ts';
import { verifyPdf } from '../../domain/verification/verify-pdf.ts';
import { mediaType, readRawBody } from '../read-body.ts';
import { defineRoute, type Route } from '../route.ts';

/** A certificate PDF is ~50 KB; rare-name fonts and a long chain stay far below this. */
const pdfLimitBytes = 4 * 1024 * 1024;

export function verificationRoutes(deps: { verification: VerificationPorts; pdf: PdfInspector }): Route[] {
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
      responses: { 200: 'The verification result, valid or not', 400: 'Not one of the accepted shapes' },
      responseSchema: 'VerificationResult',
      async handle({ req, readJsonBody }) {
        if (mediaType(req) === 'application/pdf') {
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
