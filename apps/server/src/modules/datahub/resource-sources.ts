import type { Kysely } from 'kysely';
import type { Database } from '../../database';
import { validCreditCode, validIdNumber } from '../identity/person-service';

/**
 * The local libraries the query API can serve a resource from. A resource names its source; its
 * fields must be among the source's, and its owner must be the source's keeper (the department
 * whose data it is, `dh_source_keepers`). Each source is keyed on one identifier and returns one
 * record, or null when the library holds none: a list (minimum income, social insurance) holds
 * only the people on it, so it tells nothing about anyone else.
 */
export interface ResourceSource {
  title: string;
  /** What the caller passes as `subject`, validated before any read (422 on a bad check digit). */
  subject: 'id-number' | 'credit-code';
  fields: Record<string, string>;
  /** `subject` has passed `validSubject`. */
  fetch(db: Kysely<Database>, subject: string): Promise<Record<string, unknown> | null>;
}

/** The normalised subject, or 422 INVALID_ID_NUMBER / INVALID_CREDIT_CODE naming what is wrong. */
export function validSubject(source: ResourceSource, subject: string): string {
  return source.subject === 'id-number' ? validIdNumber(subject).value : validCreditCode(subject).value;
}

/**
 * A living person's record in a list kept beside the population library (the deceased leave
 * lists): null unless `column` is set.
 */
async function personOnList(
  db: Kysely<Database>,
  subject: string,
  column: 'minimum_income_since' | 'social_security',
  more: (p: { minimum_income_since: string | null }) => Record<string, unknown>,
): Promise<Record<string, unknown> | null> {
  const p = await db
    .selectFrom('dh_persons')
    .leftJoin('dh_households', 'dh_households.household_no', 'dh_persons.household_no')
    .select([
      'dh_persons.id_number',
      'dh_persons.name',
      'dh_persons.minimum_income_since',
      'dh_persons.social_security',
      'dh_persons.death_date',
    ])
    .select('dh_households.region_code')
    .where('dh_persons.id_number', '=', subject)
    .executeTakeFirst();
  if (!p?.[column] || p.death_date) return null;
  return { idNumber: p.id_number, name: p.name, regionCode: p.region_code, ...more(p) };
}

export const RESOURCE_SOURCES = {
  population: {
    title: '人口基础信息库',
    subject: 'id-number',
    fields: {
      idNumber: '公民身份号码',
      name: '姓名',
      gender: '性别',
      birthDate: '出生日期',
      regionCode: '户籍地行政区划',
      address: '户籍地址',
      householdNo: '户号',
      maritalStatus: '婚姻状况',
      alive: '是否健在',
      deathDate: '死亡日期',
    },
    async fetch(db, subject) {
      const p = await db
        .selectFrom('dh_persons')
        .leftJoin('dh_households', 'dh_households.household_no', 'dh_persons.household_no')
        .selectAll('dh_persons')
        .select(['dh_households.region_code', 'dh_households.address'])
        .where('dh_persons.id_number', '=', subject)
        .executeTakeFirst();
      if (!p) return null;
      return {
        idNumber: p.id_number,
        name: p.name,
        gender: p.gender,
        birthDate: p.birth_date,
        regionCode: p.region_code,
        address: p.address,
        householdNo: p.household_no,
        maritalStatus: p.marital_status,
        alive: p.death_date === null,
        deathDate: p.death_date,
      };
    },
  },
  'minimum-income': {
    title: '城乡低保对象库',
    subject: 'id-number',
    fields: {
      idNumber: '公民身份号码',
      name: '姓名',
      regionCode: '户籍地行政区划',
      minimumIncomeSince: '享受低保起始日期',
    },
    fetch: (db, subject) =>
      personOnList(db, subject, 'minimum_income_since', (p) => ({
        minimumIncomeSince: p.minimum_income_since,
      })),
  },
  'social-insurance': {
    title: '社会保险参保库',
    subject: 'id-number',
    fields: {
      idNumber: '公民身份号码',
      name: '姓名',
      insured: '参加基本养老、医疗保险',
    },
    fetch: (db, subject) => personOnList(db, subject, 'social_security', () => ({ insured: true })),
  },
  'legal-entities': {
    title: '法人基础信息库',
    subject: 'credit-code',
    fields: {
      creditCode: '统一社会信用代码',
      name: '名称',
      kind: '法人类型',
      status: '登记状态',
      legalRepName: '法定代表人姓名',
      legalRepIdNumber: '法定代表人身份号码',
      regionCode: '住所地行政区划',
      establishedOn: '成立日期',
    },
    async fetch(db, subject) {
      const e = await db
        .selectFrom('dh_legal_entities')
        .leftJoin('dh_persons', 'dh_persons.id_number', 'dh_legal_entities.legal_rep_id_number')
        .selectAll('dh_legal_entities')
        .select('dh_persons.name as rep_name')
        .where('dh_legal_entities.credit_code', '=', subject)
        .executeTakeFirst();
      if (!e) return null;
      return {
        creditCode: e.credit_code,
        name: e.name,
        kind: e.kind,
        status: e.status,
        legalRepName: e.rep_name,
        legalRepIdNumber: e.legal_rep_id_number,
        regionCode: e.region_code,
        establishedOn: e.established_on,
      };
    },
  },
} satisfies Record<string, ResourceSource>;

export type ResourceSourceName = keyof typeof RESOURCE_SOURCES;

export const RESOURCE_SOURCE_NAMES = Object.keys(RESOURCE_SOURCES) as [
  ResourceSourceName,
  ...ResourceSourceName[],
];
