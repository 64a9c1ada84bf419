/** The certificate PDF: rendering (fonts once per process), and inspection for verification. */
export { ELICENCE_ATTACHMENT, QR_TEXT_ATTACHMENT } from './attachment.ts';
export type { CertificateView, ParentView } from './certificate-view.ts';
export type { FontSource, LoadFontsOptions } from './fonts.ts';
export { FontSet, GlyphMissingError, loadFonts, SYSTEM_FALLBACK_FONTS } from './fonts.ts';
export type { PdfInspection, PdfInspectionFailure, PdfSignatureInfo } from './inspect.ts';
export { inspectPdf, pdfInspector } from './inspect.ts';
export type { RenderCertificateInput } from './render.ts';
export { renderCertificatePdf, warmUpFonts } from './render.ts';
export { TextOverflowError } from './text.ts';
