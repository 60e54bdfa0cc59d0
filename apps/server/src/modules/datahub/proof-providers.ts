import type { Kysely } from 'kysely';
import { z } from 'zod';
import type { Database } from '../../database';

/** The proofs (证明) a window may ask for with one ID card (一证通办). */
export const PROOF_TYPES = {
  household: '户籍证明',
  'marital-status': '婚姻状况证明',
  'minimum-income': '最低生活保障证明',
  disability: '残疾证明',
  'social-security': '参保证明',
  'life-status': '生存状态证明',
  'pharmacist-exam': '执业药师考试合格证明',
} as const;

export type ProofType = keyof typeof PROOF_TYPES;

export interface ProofRecord {
  found: boolean;
  data: Record<string, unknown>;
}

const proofRecordSchema = z.object({
  found: z.boolean(),
  data: z.record(z.string(), z.unknown()).default({}),
});

/**
 * Checks a provider's answer before it is merged: a remote system or a relay may answer anything,
 * and one bad record must fail only that provider, not the whole query. Only the types the
 * provider was asked for (so registered for) are read; anything else it answers is ignored, so it
 * cannot override another provider's proof. Throws on a malformed answer.
 */
export function checkProofAnswer(
  provider: string,
  answer: unknown,
  asked: ProofType[],
): Partial<Record<ProofType, ProofRecord>> {
  if (typeof answer !== 'object' || answer === null || Array.isArray(answer))
    throw new Error(`${provider}: malformed answer (not an object)`);
  const out: Partial<Record<ProofType, ProofRecord>> = {};
  for (const type of asked) {
    if (!Object.hasOwn(answer, type)) continue;
    const r = proofRecordSchema.safeParse((answer as Record<string, unknown>)[type]);
    if (!r.success) throw new Error(`${provider}: malformed answer for ${type}`);
    out[type] = r.data;
  }
  return out;
}

/** A source of proofs: the local base libraries, a remote system over HTTP, a front-end relay. */
export interface ProofProvider {
  name: string;
  proofTypes: ProofType[];
  fetch(
    idNumber: string,
    proofTypes: ProofType[],
    signal: AbortSignal,
  ): Promise<Partial<Record<ProofType, ProofRecord>>>;
}

/**
 * Proofs from the data hub's own base libraries. By default one provider answers every proof
 * type; a deployment that mirrors several departments' libraries may register one per department,
 * each with its own name and share of the types.
 */
export class LocalLibraryProvider implements ProofProvider {
  constructor(
    private readonly db: Kysely<Database>,
    readonly name = 'local-libraries',
    readonly proofTypes: ProofType[] = Object.keys(PROOF_TYPES) as ProofType[],
  ) {}

  async fetch(idNumber: string, proofTypes: ProofType[]) {
    const person = await this.db
      .selectFrom('dh_persons')
      .leftJoin('dh_households', 'dh_households.household_no', 'dh_persons.household_no')
      .selectAll('dh_persons')
      .select(['dh_households.region_code', 'dh_households.address'])
      .where('dh_persons.id_number', '=', idNumber)
      .executeTakeFirst();
    const out: Partial<Record<ProofType, ProofRecord>> = {};
    for (const type of proofTypes) {
      if (!person) {
        out[type] = { found: false, data: {} };
        continue;
      }
      if (type === 'household')
        out[type] = {
          found: true,
          data: {
            name: person.name,
            regionCode: person.region_code,
            address: person.address,
            householdNo: person.household_no,
          },
        };
      if (type === 'marital-status')
        out[type] = { found: true, data: { name: person.name, maritalStatus: person.marital_status } };
      if (type === 'minimum-income')
        out[type] = {
          found: true,
          data: { onMinimumIncome: person.minimum_income_since !== null, since: person.minimum_income_since },
        };
      if (type === 'disability')
        out[type] = { found: person.disability_level !== null, data: { level: person.disability_level } };
      if (type === 'social-security')
        out[type] = { found: true, data: { insured: Boolean(person.social_security) } };
      if (type === 'life-status')
        out[type] = {
          found: true,
          data: { alive: person.death_date === null, deathDate: person.death_date },
        };
      if (type === 'pharmacist-exam') {
        const entry = await this.db
          .selectFrom('dh_theme_entries')
          .selectAll()
          .where('list_code', '=', 'pharmacist-exam-passed')
          .where('subject', '=', idNumber)
          .executeTakeFirst();
        out[type] = {
          found: Boolean(entry),
          data: entry ? { passedOn: entry.since, ...JSON.parse(entry.detail) } : {},
        };
      }
    }
    return out;
  }
}

/** A remote system with a JSON contract: POST {idNumber, proofTypes} → {proofs: {type: {found, data}}}. */
export class HttpProofProvider implements ProofProvider {
  constructor(
    readonly name: string,
    private readonly url: string,
    readonly proofTypes: ProofType[],
  ) {}

  async fetch(idNumber: string, proofTypes: ProofType[], signal: AbortSignal) {
    const res = await fetch(this.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ idNumber, proofTypes }),
      signal,
    });
    if (!res.ok) throw new Error(`${this.name} answered ${res.status}`);
    const body = (await res.json()) as { proofs?: Partial<Record<ProofType, ProofRecord>> };
    return body.proofs ?? {};
  }
}
