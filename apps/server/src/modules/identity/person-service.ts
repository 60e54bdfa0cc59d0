import { checkCreditCode, checkIdNumber, maskIdNumber, maskPhone, regionLevelOf } from '@govflow/shared';
import type { Transaction } from 'kysely';
import type { Database } from '../../database';
import { auditStamp, type Caller } from '../../platform/http/caller';
import { AppError } from '../../platform/http/errors';
import { uuidv7 } from '../../platform/ids';
import type { ServiceDeps } from '../../platform/service-deps';
import type { OrgService } from './org-service';
import type { LegalPersonRow, PersonRow } from './tables';

export interface PersonInput {
  idNumber: string;
  name: string;
  phone?: string | null;
  /** Division code of the registered residence (户籍所在地); the ID number's first 6 digits when absent. */
  regionCode?: string | null;
}

export interface PersonView {
  id: string;
  idNumber: string;
  idNumberMasked: boolean;
  name: string;
  gender: string;
  birthDate: string | null;
  regionCode: string;
  phone: string | null;
  trustLevel: number;
}

export interface LegalPersonInput {
  creditCode: string;
  name: string;
  entityType: string;
  legalRepresentative: PersonInput;
}

export interface LegalPersonView {
  id: string;
  creditCode: string;
  name: string;
  entityType: string;
  regionCode: string;
  legalRepresentative: PersonView;
}

const problemText = {
  FORMAT: '应为 18 位，最后一位可为 X',
  REGION: '前 6 位不是有效的行政区划代码',
  BIRTH_DATE: '第 7–14 位不是有效的出生日期',
  CHECK_DIGIT: '校验码不符',
} as const;

/** Validates an ID number or throws 422 INVALID_ID_NUMBER naming what is wrong. */
export function validIdNumber(raw: string) {
  const r = checkIdNumber(raw);
  if (!r.ok) {
    throw new AppError('INVALID_ID_NUMBER', 422, `身份证号码无效：${problemText[r.problem]}`, undefined, {
      problem: r.problem,
    });
  }
  return r;
}

/** Validates a unified social credit code or throws 422 INVALID_CREDIT_CODE naming what is wrong. */
export function validCreditCode(raw: string) {
  const cc = checkCreditCode(raw);
  if (!cc.ok) {
    throw new AppError('INVALID_CREDIT_CODE', 422, '统一社会信用代码无效', '18 位，校验码按 GB 32100 计算', {
      problem: cc.problem,
    });
  }
  return cc;
}

export class PersonService {
  constructor(
    private readonly deps: ServiceDeps,
    private readonly orgs: OrgService,
  ) {}

  private get db() {
    return this.deps.db;
  }

  /**
   * Whether the caller sees the person in full: the person themself, and staff holding
   * person:read-pii over the district the person is registered in (or, for a legal representative
   * registered together with the company and shown with it, over the company's district). The one
   * scope rule for people and companies; every route that shows a person goes through `present`.
   */
  async seesInFull(caller: Caller, p: PersonRow, companyRegionCode?: string): Promise<boolean> {
    const actor = caller.actor;
    if (!actor) return false;
    if (actor.personId === p.id) return true;
    for (const regionCode of companyRegionCode ? [p.region_code, companyRegionCode] : [p.region_code]) {
      if (await this.orgs.coversRegion(actor, 'person:read-pii', regionCode)) return true;
    }
    return false;
  }

  /**
   * The view for an API response: in full (see `seesInFull`) or with ID digits 7–14 and phone
   * digits 4–7 starred and no birth date. Every response that shows staff someone else's full
   * ID number is itself audited (who saw whose number, when), as the PII access log.
   */
  async present(caller: Caller, p: PersonRow, companyRegionCode?: string): Promise<PersonView> {
    const full = await this.seesInFull(caller, p, companyRegionCode);
    if (full && caller.actor?.personId !== p.id) {
      await this.deps.audit.appendAlone({
        ...auditStamp(caller),
        action: 'person.read-pii',
        target: { type: 'person', id: p.id },
      });
    }
    return {
      id: p.id,
      idNumber: full ? p.id_number : (maskIdNumber(p.id_number) as string),
      idNumberMasked: !full,
      name: p.name,
      gender: p.gender,
      birthDate: full ? p.birth_date : null,
      regionCode: p.region_code,
      phone: full ? p.phone : maskPhone(p.phone),
      trustLevel: p.trust_level,
    };
  }

  async get(id: string): Promise<PersonRow> {
    const p = await this.db.selectFrom('persons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!p) throw new AppError('NOT_FOUND', 404, '自然人不存在');
    return p;
  }

  async findByIdNumber(raw: string): Promise<PersonRow | undefined> {
    const { value } = validIdNumber(raw);
    return this.db.selectFrom('persons').selectAll().where('id_number', '=', value).executeTakeFirst();
  }

  /** Inserts a natural person inside the caller's transaction (registration, legal representatives). */
  async insertPerson(trx: Transaction<Database>, input: PersonInput, trustLevel: number): Promise<PersonRow> {
    const r = validIdNumber(input.idNumber);
    const existing = await trx
      .selectFrom('persons')
      .select('id')
      .where('id_number', '=', r.value)
      .executeTakeFirst();
    if (existing) throw new AppError('DUPLICATE', 409, '该身份证号码已登记');
    if (input.phone && !/^1[3-9]\d{9}$/.test(input.phone)) {
      throw new AppError('VALIDATION_FAILED', 422, '手机号码应为 11 位');
    }
    if (input.regionCode && !regionLevelOf(input.regionCode)) {
      throw new AppError(
        'INVALID_REGION_CODE',
        422,
        `户籍所在地行政区划代码无效：${input.regionCode}`,
        '区县 6 位如 210102，街道 9 位，社区 12 位',
      );
    }
    const now = this.deps.clock.now().toISOString();
    const row: PersonRow = {
      id: uuidv7(),
      id_number: r.value,
      name: input.name.trim(),
      gender: r.info.gender,
      birth_date: r.info.birthDate,
      region_code: input.regionCode || r.info.regionCode,
      phone: input.phone ?? null,
      trust_level: trustLevel,
      created_at: now,
      updated_at: now,
    };
    await trx.insertInto('persons').values(row).execute();
    return row;
  }

  async register(caller: Caller, input: PersonInput): Promise<PersonRow> {
    return this.db.transaction().execute(async (trx) => {
      // Registered at a window by staff who saw the ID card: trust level L3.
      const row = await this.insertPerson(trx, input, 3);
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'person.register',
        target: { type: 'person', id: row.id },
        detail: { idNumber: maskIdNumber(row.id_number), name: row.name },
      });
      return row;
    });
  }

  async getLegalPerson(id: string): Promise<{ lp: LegalPersonRow; rep: PersonRow }> {
    const lp = await this.db.selectFrom('legal_persons').selectAll().where('id', '=', id).executeTakeFirst();
    if (!lp) throw new AppError('NOT_FOUND', 404, '法人不存在');
    return { lp, rep: await this.get(lp.legal_rep_person_id) };
  }

  async legalPersonView(caller: Caller, lp: LegalPersonRow, rep: PersonRow): Promise<LegalPersonView> {
    return {
      id: lp.id,
      creditCode: lp.credit_code,
      name: lp.name,
      entityType: lp.entity_type,
      regionCode: lp.region_code,
      // A person who already existed when the company named them is shown by their own district
      // only: the company's district is whatever credit code its registrant typed.
      legalRepresentative: await this.present(
        caller,
        rep,
        lp.rep_registered_with_company ? lp.region_code : undefined,
      ),
    };
  }

  /** Registers a legal person bound to its legal representative (found by ID number, or registered too). */
  async registerLegalPerson(
    caller: Caller,
    input: LegalPersonInput,
  ): Promise<{ lp: LegalPersonRow; rep: PersonRow }> {
    const cc = validCreditCode(input.creditCode);
    const repId = validIdNumber(input.legalRepresentative.idNumber);
    return this.db.transaction().execute(async (trx) => {
      if (
        await trx
          .selectFrom('legal_persons')
          .select('id')
          .where('credit_code', '=', cc.value)
          .executeTakeFirst()
      ) {
        throw new AppError('DUPLICATE', 409, '该统一社会信用代码已登记');
      }
      const existing = await trx
        .selectFrom('persons')
        .selectAll()
        .where('id_number', '=', repId.value)
        .executeTakeFirst();
      if (existing && existing.name !== input.legalRepresentative.name.trim()) {
        throw new AppError('VALIDATION_FAILED', 422, '法定代表人姓名与身份证号码不符');
      }
      const rep = existing ?? (await this.insertPerson(trx, input.legalRepresentative, 3));
      const now = this.deps.clock.now().toISOString();
      const lp: LegalPersonRow = {
        id: uuidv7(),
        credit_code: cc.value,
        name: input.name.trim(),
        entity_type: input.entityType,
        region_code: cc.value.slice(2, 8),
        legal_rep_person_id: rep.id,
        rep_registered_with_company: existing ? 0 : 1,
        created_at: now,
        updated_at: now,
      };
      await trx.insertInto('legal_persons').values(lp).execute();
      await this.deps.audit.append(trx, {
        ...auditStamp(caller),
        action: 'legal-person.register',
        target: { type: 'legal-person', id: lp.id },
        detail: { creditCode: lp.credit_code, name: lp.name, legalRepPersonId: rep.id },
      });
      return { lp, rep };
    });
  }
}
