import type { Response } from 'express';
import { consoleT as t } from '../console-messages.ts';
import { formValues } from '../forms.ts';
import { readUpload, uploadLimitBytes } from '../upload.ts';
import { isPdf, verifyQrText, verifyUpload } from '../verify-input.ts';
import type { VerifyView } from './components.tsx';
import { type ConsoleRoutes, locals, send } from './routes.tsx';
import { MessagePage } from './shared-pages.tsx';

/** `POST {base}/verify` (pasted or scanned QR text) and `{base}/verify/file` (an uploaded PDF): the counters' verification. */
export function verifyRoutes(
  { router, deps, post }: ConsoleRoutes,
  base: string,
  page: (res: Response, status: number, verify: VerifyView) => void,
) {
  const { sessions, validate } = deps;
  router.post(`${base}/verify`, ...post, async (req, res) => {
    const values = formValues(req.body);
    if (!values.qr) return page(res, 400, { values, error: '请输入或扫描二维码文字。' });
    const outcome = await verifyQrText(deps.verification, validate, values.qr);
    page(res, 200, { values, outcome });
  });
  router.post(`${base}/verify/file`, async (req, res) => {
    const upload = await readUpload(req, uploadLimitBytes);
    // A multipart form: its CSRF field is read with the upload.
    if (!sessions.checkCsrf(locals(res).token, upload.kind === 'file' ? upload.fields._csrf : undefined)) {
      return send(
        res,
        403,
        <MessagePage user={locals(res).user} title={t('console.csrf.title')} body={t('console.csrf.body')} />,
      );
    }
    if (upload.kind !== 'file') return page(res, 400, { values: {}, error: '请选择要上传的文件。' });
    const verified = await verifyUpload(deps, validate, upload.bytes);
    if (verified.kind !== 'verified') {
      return page(res, 400, { values: {}, error: isPdf(upload.bytes) ? 'PDF 无法核验。' : '无法识别该文件。' });
    }
    page(res, 200, { values: {}, outcome: verified.outcome });
  });
}
