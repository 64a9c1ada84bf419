import type { Request, Response } from 'express';
import { DomainError } from '../../domain/errors.ts';
import { createPerAddressLimit } from '../../http/routes/verification-routes.ts';
import { formValues } from '../forms.ts';
import { renderPage } from '../layout.tsx';
import { readUpload, uploadLimitBytes } from '../upload.ts';
import { isPdf, verifyQrText, verifyUpload } from '../verify-input.ts';
import { context, type PageRoutes, send } from './routes.tsx';
import { VerifyPage, type VerifyView } from './verify.tsx';

/** The verification page: a QR text or an uploaded file. */
export function verifyRoutes({ router, deps, forms }: PageRoutes) {
  const { validate } = deps;
  const verifyPage = (req: Request, res: Response, status: number, view: VerifyView) => {
    const ctx = context(req, res);
    send(res, status, renderPage(<VerifyPage ctx={ctx} view={view} />));
  };
  router.get('/verify', (req, res) => verifyPage(req, res, 200, {}));
  router.post('/verify', forms, async (req, res, next) => {
    try {
      const ctx = context(req, res);
      const qr = formValues(req.body).qr ?? '';
      if (qr === '') return verifyPage(req, res, 400, { qrError: ctx.t('verify.qr.missing') });
      const outcome = await verifyQrText(deps.verification, validate, qr);
      verifyPage(req, res, 200, { outcome });
    } catch (error) {
      next(error);
    }
  });
  const allowPdf = createPerAddressLimit(deps.rateLimits, 'pages:pdf-verifications', deps.pdfPerAddressPerMinute, () =>
    Date.now(),
  );
  router.post('/verify/file', async (req, res, next) => {
    try {
      const ctx = context(req, res);
      const upload = await readUpload(req, uploadLimitBytes);
      if (upload.kind === 'too-large') return verifyPage(req, res, 413, { fileError: ctx.t('verify.file.tooLarge') });
      if (upload.kind === 'none') return verifyPage(req, res, 400, { fileError: ctx.t('verify.file.missing') });
      // A PDF costs the workers far more than a QR text: the same per-address allowance as the API's.
      if (isPdf(upload.bytes) && !allowPdf(req.ip ?? '')) {
        return verifyPage(req, res, 429, { fileError: ctx.t('verify.file.tooMany') });
      }
      const verified = await verifyUpload(deps, validate, upload.bytes).catch((error: unknown) => {
        if (error instanceof DomainError && error.code === 'SERVICE_UNAVAILABLE') return { kind: 'busy' as const };
        throw error;
      });
      if (verified.kind === 'busy') return verifyPage(req, res, 503, { fileError: ctx.t('verify.file.busy') });
      if (verified.kind === 'unknown') return verifyPage(req, res, 400, { fileError: ctx.t('verify.file.unknown') });
      if (verified.kind === 'no-qr') return verifyPage(req, res, 400, { fileError: ctx.t('verify.file.noQr') });
      verifyPage(req, res, 200, { outcome: verified.outcome });
    } catch (error) {
      next(error);
    }
  });
}
