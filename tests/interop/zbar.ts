/**
 * zbarimg's arguments for reading the certificate's QR from a rendered page: the symbol's text
 * alone (`--raw`, `-q`), and QR codes only. Left to look for every symbology, zbar also reports
 * any 1-D barcode it believes it sees in the page: one run printed "084097" after the QR's text.
 */
export const ZBAR_QR_ONLY = ['-q', '--raw', '-Sdisable', '-Sqrcode.enable'];
