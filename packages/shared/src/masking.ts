/** ID numbers show digits 7–14 (the birth date) as ********. */
export function maskIdNumber(idNumber: string | null | undefined): string | null {
  if (!idNumber) return idNumber ?? null;
  if (idNumber.length !== 18) return '*'.repeat(idNumber.length);
  return `${idNumber.slice(0, 6)}********${idNumber.slice(14)}`;
}

/** Mobile numbers show digits 4–7 as ****. */
export function maskPhone(phone: string | null | undefined): string | null {
  if (!phone) return phone ?? null;
  if (phone.length < 8) return '*'.repeat(phone.length);
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}

const ID_IN_TEXT = /(?<![0-9A-Za-z])(\d{6})(\d{8})(\d{3}[\dXx])(?![0-9A-Za-z])/g;
const PHONE_IN_TEXT = /(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)/g;

/** Masks every ID number and mobile number that appears inside free text (logs, URLs, details). */
export function maskPiiInText(text: string): string {
  return text.replace(ID_IN_TEXT, '$1********$3').replace(PHONE_IN_TEXT, '$1****$3');
}
