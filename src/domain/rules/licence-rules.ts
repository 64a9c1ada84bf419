import type { ELicencePayload, LicenceEnvelope } from '../certificate.ts';
import { isValidLicenceTypeCode, parseLicenceId } from '../licence-id.ts';
import { checkCertificate } from './certificate-rules.ts';
import type { RuleContext } from './context.ts';
import { type Findings, joinPath } from './detail.ts';
import { checkCreditCode, checkDivisionCode } from './place-rules.ts';

/** The envelope's identifier must be well formed and agree with the metadata beside it. */
export function checkLicenceEnvelope(findings: Findings, prefix: string, licence: LicenceEnvelope, ctx: RuleContext) {
  const at = (path: string) => joinPath(prefix, path);
  if (!isValidLicenceTypeCode(licence.typeCode)) {
    findings.add(at('typeCode'), 'must be a valid credit code (GB 32100-2015) followed by 3 digits');
  }
  checkCreditCode(findings, at('issuer.creditCode'), licence.issuer.creditCode);
  checkDivisionCode(findings, at('issuer.divisionCode'), licence.issuer.divisionCode, ctx.divisions);
  const id = parseLicenceId(licence.id);
  if (!id) {
    findings.add(at('id'), 'is not a valid e-licence identifier (GB/T 36904, MOD 37,36 check character)');
  } else {
    const mismatched = [
      id.typeCode !== licence.typeCode && 'typeCode',
      id.issuerCreditCode !== licence.issuer.creditCode && 'issuer.creditCode',
      id.version !== licence.version && 'version',
    ].filter((name): name is string => name !== false);
    if (mismatched.length > 0) findings.add(at('id'), `does not agree with ${mismatched.join(', ')}`);
  }
  if (licence.supersedes && !parseLicenceId(licence.supersedes.licenceId)) {
    findings.add(at('supersedes.licenceId'), 'is not a valid e-licence identifier');
  }
}

/** A signed e-licence payload: envelope and certificate each valid, and describing the same issue. */
export function checkELicencePayload(findings: Findings, payload: ELicencePayload, ctx: RuleContext): void {
  const { licence, certificate } = payload;
  checkLicenceEnvelope(findings, 'licence', licence, ctx);
  checkCertificate(findings, 'certificate', certificate, ctx);
  const sameIssuer =
    licence.issuer.name === certificate.issuer.name &&
    licence.issuer.creditCode === certificate.issuer.creditCode &&
    licence.issuer.divisionCode === certificate.issuer.divisionCode;
  if (!sameIssuer) findings.add('licence.issuer', 'does not match certificate.issuer');
  if (licence.issueDate !== certificate.issueDate)
    findings.add('licence.issueDate', 'does not match certificate.issueDate');
  if (licence.holder.name !== certificate.newborn.name) {
    findings.add('licence.holder.name', 'does not match certificate.newborn.name');
  }
}
