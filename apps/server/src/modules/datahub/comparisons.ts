import { regionLevelOf } from '@govflow/shared';
import { AppError } from '../../platform/http/errors';
import type { ServiceDeps } from '../../platform/service-deps';
import { validCreditCode, validIdNumber } from '../identity/person-service';

/** `unknown` when the library holds no record to compare against: never read as a pass. */
export type Verdict = 'yes' | 'no' | 'unknown';

const PREFIX = { province: 2, city: 4, district: 6, street: 9, community: 12 } as const;

function regionPrefix(regionCode: string): string {
  const level = regionLevelOf(regionCode);
  if (!level) throw new AppError('INVALID_REGION_CODE', 422, `行政区划代码 ${regionCode} 无效`);
  return regionCode.slice(0, PREFIX[level]);
}

const yesNo = (b: boolean): Verdict => (b ? 'yes' : 'no');

/**
 * The comparison primitives the checks engine calls (REQUIREMENTS §4): each answers one question
 * about one person or company against the base libraries, with `unknown` when there is no record.
 */
export class DatahubComparisons {
  constructor(private readonly deps: ServiceDeps) {}

  private person(idNumber: string) {
    const { value } = validIdNumber(idNumber);
    return this.deps.db
      .selectFrom('dh_persons')
      .selectAll()
      .where('id_number', '=', value)
      .executeTakeFirst();
  }

  async nameMatches(idNumber: string, name: string): Promise<Verdict> {
    const p = await this.person(idNumber);
    return p ? yesNo(p.name === name.trim()) : 'unknown';
  }

  async isAlive(idNumber: string): Promise<Verdict> {
    const p = await this.person(idNumber);
    return p ? yesNo(p.death_date === null) : 'unknown';
  }

  /** Registered (户籍) in the region or anywhere below it. */
  async residentIn(idNumber: string, regionCode: string): Promise<Verdict> {
    const prefix = regionPrefix(regionCode);
    const { value } = validIdNumber(idNumber);
    const row = await this.deps.db
      .selectFrom('dh_persons')
      .leftJoin('dh_households', 'dh_households.household_no', 'dh_persons.household_no')
      .select(['dh_households.region_code'])
      .where('dh_persons.id_number', '=', value)
      .executeTakeFirst();
    if (!row) return 'unknown';
    return yesNo(Boolean(row.region_code?.startsWith(prefix)));
  }

  async onMinimumIncome(idNumber: string): Promise<Verdict> {
    const p = await this.person(idNumber);
    return p ? yesNo(p.minimum_income_since !== null) : 'unknown';
  }

  /** On a theme list (e.g. pharmacist-exam-passed) since on or before `onDate`. */
  async onList(subject: string, listCode: string, onDate: string): Promise<Verdict> {
    const row = await this.deps.db
      .selectFrom('dh_theme_entries')
      .select('since')
      .where('list_code', '=', listCode)
      .where('subject', '=', subject.trim().toUpperCase())
      .executeTakeFirst();
    return yesNo(Boolean(row && row.since <= onDate));
  }

  /** Holds a licence of the type valid on the date (valid_to null: no expiry). */
  async holdsLicence(holder: string, licenceType: string, onDate: string): Promise<Verdict> {
    const row = await this.deps.db
      .selectFrom('dh_licences')
      .select('id')
      .where('holder', '=', holder.trim().toUpperCase())
      .where('licence_type', '=', licenceType)
      .where('valid_from', '<=', onDate)
      .where((eb) => eb.or([eb('valid_to', 'is', null), eb('valid_to', '>=', onDate)]))
      .executeTakeFirst();
    return yesNo(Boolean(row));
  }

  async companyActive(creditCode: string): Promise<Verdict> {
    const c = await this.entity(creditCode);
    return c ? yesNo(c.status === 'active') : 'unknown';
  }

  async isLegalRepresentative(creditCode: string, idNumber: string): Promise<Verdict> {
    const c = await this.entity(creditCode);
    return c ? yesNo(c.legal_rep_id_number === validIdNumber(idNumber).value) : 'unknown';
  }

  private entity(creditCode: string) {
    return this.deps.db
      .selectFrom('dh_legal_entities')
      .selectAll()
      .where('credit_code', '=', validCreditCode(creditCode).value)
      .executeTakeFirst();
  }
}
