export interface InstitutionRecord {
  creditCode: string;
  name: string;
  divisionCode: string;
  status: 'active' | 'suspended';
}

export interface NumberRange {
  id: number;
  institution: string;
  prefix: string;
  firstNo: number;
  lastNo: number;
  nextNo: number;
  receivedOn: string;
}

export interface InstitutionRepository {
  find(creditCode: string): InstitutionRecord | null;
  list(): InstitutionRecord[];
  create(institution: Omit<InstitutionRecord, 'status'>, now: Date): InstitutionRecord;
  addNumberRange(range: Omit<NumberRange, 'id' | 'nextNo'>): NumberRange;
  numberRanges(creditCode: string): NumberRange[];
}

/** `Q440000001` from prefix `Q` and 440000001: a letter then nine digits. */
export const formatCertificateNo = (prefix: string, n: number): string => `${prefix}${String(n).padStart(9, '0')}`;
