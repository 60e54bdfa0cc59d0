import {
  CONTROL_SETTINGS,
  type Condition,
  type ControlSettings,
  controlSettingsSchema,
  type Fee,
  type LegalFields,
  type Material,
  type Scenario,
  type ServiceFields,
} from '@govflow/shared';
import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../../database';
import { uuidv7 } from '../../platform/ids';
import type { CatalogVersionRow, VersionStatus } from './tables';

export interface ItemContent {
  legal: LegalFields;
  service: ServiceFields;
  control: ControlSettings;
}

const json = (v: unknown) => JSON.stringify(v);
const flag = (b: boolean) => (b ? 1 : 0);

function legalColumns(l: LegalFields) {
  return {
    name: l.name,
    item_type: l.type,
    management_area: l.managementArea,
    legal_basis: l.legalBasis,
    exercise_level: l.exerciseLevel,
    implementing_body: l.implementingBody,
    body_nature: l.bodyNature,
    audience: json(l.audience),
    statutory_days: l.statutoryLimit.days,
    statutory_unit: l.statutoryLimit.unit,
    quantity_limit: l.quantityLimit,
    result_name: l.resultName,
    has_fee: flag(l.hasFee),
    fee_basis: l.feeBasis,
  };
}

function serviceColumns(s: ServiceFields) {
  return {
    promised_days: s.promisedLimit.days,
    promised_unit: s.promisedLimit.unit,
    case_type: s.caseType,
    channels: json(s.channels),
    visits_required: s.visitsRequired,
    tongban_scope: s.tongbanScope,
    description: s.description,
    joint_agencies: s.jointAgencies,
    intermediary_services: s.intermediaryServices,
    process_description: s.processDescription,
    result_sample: s.resultSample,
    location: s.location,
    office_hours: s.officeHours,
    enquiry_phone: s.enquiryPhone,
    supervision_phone: s.supervisionPhone,
    faq: json(s.faq),
    life_events: json(s.lifeEvents),
    target_groups: json(s.targetGroups),
    themes: json(s.themes),
    business_activities: json(s.businessActivities),
    enterprise_types: json(s.enterpriseTypes),
    keywords: json(s.keywords),
  };
}

export function legalFromRow(r: CatalogVersionRow): LegalFields {
  return {
    name: r.name,
    type: r.item_type,
    managementArea: r.management_area,
    legalBasis: r.legal_basis,
    exerciseLevel: r.exercise_level,
    implementingBody: r.implementing_body,
    bodyNature: r.body_nature,
    audience: JSON.parse(r.audience),
    statutoryLimit: { days: r.statutory_days, unit: r.statutory_unit as 'working' | 'natural' },
    quantityLimit: r.quantity_limit,
    resultName: r.result_name,
    hasFee: Boolean(r.has_fee),
    feeBasis: r.fee_basis,
  };
}

type Db = Kysely<Database> | Transaction<Database>;

/** Reads a version's whole content: the row plus its child tables, five queries in all. */
export async function loadContent(db: Db, r: CatalogVersionRow): Promise<ItemContent> {
  const [scenarios, materials, conditions, fees, settings] = await Promise.all([
    db.selectFrom('catalog_scenarios').selectAll().where('version_id', '=', r.id).orderBy('sort').execute(),
    db.selectFrom('catalog_materials').selectAll().where('version_id', '=', r.id).orderBy('sort').execute(),
    db.selectFrom('catalog_conditions').selectAll().where('version_id', '=', r.id).orderBy('sort').execute(),
    db.selectFrom('catalog_fees').selectAll().where('version_id', '=', r.id).orderBy('sort').execute(),
    db.selectFrom('catalog_control_settings').selectAll().where('version_id', '=', r.id).execute(),
  ]);
  const service: ServiceFields = {
    promisedLimit: { days: r.promised_days, unit: r.promised_unit as 'working' | 'natural' },
    caseType: r.case_type,
    channels: JSON.parse(r.channels),
    visitsRequired: r.visits_required,
    tongbanScope: r.tongban_scope,
    description: r.description,
    jointAgencies: r.joint_agencies,
    intermediaryServices: r.intermediary_services,
    processDescription: r.process_description,
    resultSample: r.result_sample,
    location: r.location,
    officeHours: r.office_hours,
    enquiryPhone: r.enquiry_phone,
    supervisionPhone: r.supervision_phone,
    faq: JSON.parse(r.faq),
    lifeEvents: JSON.parse(r.life_events),
    targetGroups: JSON.parse(r.target_groups),
    themes: JSON.parse(r.themes),
    businessActivities: JSON.parse(r.business_activities),
    enterpriseTypes: JSON.parse(r.enterprise_types),
    keywords: JSON.parse(r.keywords),
    scenarios: scenarios.map((s): Scenario => ({ key: s.key, name: s.name, description: s.description })),
    materials: materials.map(
      (m): Material => ({
        key: m.key,
        name: m.name,
        form: m.form,
        source: m.source,
        copies: m.copies,
        medium: m.medium as Material['medium'],
        required: Boolean(m.required),
        scenarioKey: m.scenario_key,
        acceptanceStandard: m.acceptance_standard,
        sampleUrl: m.sample_url,
        eform: Boolean(m.eform),
        ecopyRequired: Boolean(m.ecopy_required),
        deferrable: Boolean(m.deferrable),
        waivable: Boolean(m.waivable),
        sealRequirement: m.seal_requirement,
        validityDays: m.validity_days,
        verifyingDepartment: m.verifying_department,
        reuseClass: m.reuse_class,
      }),
    ),
    conditions: conditions.map(
      (c): Condition => ({
        key: c.key,
        text: c.text,
        required: Boolean(c.required),
        scenarioKey: c.scenario_key,
        rule: c.rule,
      }),
    ),
    fees: fees.map((f): Fee => {
      if (f.kind === 'fixed')
        return { kind: 'fixed', name: f.name, basis: f.basis, amountFen: f.amount_fen ?? 0 };
      if (f.kind === 'per-unit') {
        return {
          kind: 'per-unit',
          name: f.name,
          basis: f.basis,
          unit: f.unit ?? '',
          amountFen: f.amount_fen ?? 0,
        };
      }
      return {
        kind: 'table',
        name: f.name,
        basis: f.basis,
        unit: f.unit ?? '',
        input: f.input ?? '',
        rows: JSON.parse(f.rows ?? '[]'),
      };
    }),
  };
  const control = controlSettingsSchema.parse(
    Object.fromEntries(settings.map((s) => [s.setting, JSON.parse(s.data)])),
  );
  return { legal: legalFromRow(r), service, control };
}

export async function insertVersion(
  trx: Transaction<Database>,
  v: {
    id?: string;
    itemId: string;
    versionNo: number;
    status: VersionStatus;
    content: ItemContent;
    createdBy: string | null;
    now: string;
  },
): Promise<string> {
  const id = v.id ?? uuidv7();
  await trx
    .insertInto('catalog_versions')
    .values({
      id,
      item_id: v.itemId,
      version_no: v.versionNo,
      status: v.status,
      ...legalColumns(v.content.legal),
      ...serviceColumns(v.content.service),
      review_note: '',
      created_by: v.createdBy,
      created_at: v.now,
      updated_at: v.now,
      submitted_at: null,
      published_at: null,
      published_by: null,
    })
    .execute();
  await insertServiceChildren(trx, id, v.content.service);
  await insertControl(trx, id, v.content.control);
  return id;
}

export async function replaceLegal(
  trx: Transaction<Database>,
  versionId: string,
  legal: LegalFields,
  now: string,
) {
  await trx
    .updateTable('catalog_versions')
    .set({ ...legalColumns(legal), updated_at: now })
    .where('id', '=', versionId)
    .execute();
}

export async function replaceService(
  trx: Transaction<Database>,
  versionId: string,
  service: ServiceFields,
  now: string,
) {
  await trx
    .updateTable('catalog_versions')
    .set({ ...serviceColumns(service), updated_at: now })
    .where('id', '=', versionId)
    .execute();
  for (const table of [
    'catalog_scenarios',
    'catalog_materials',
    'catalog_conditions',
    'catalog_fees',
  ] as const) {
    await trx.deleteFrom(table).where('version_id', '=', versionId).execute();
  }
  await insertServiceChildren(trx, versionId, service);
}

export async function replaceControl(
  trx: Transaction<Database>,
  versionId: string,
  control: ControlSettings,
  now: string,
) {
  await trx.deleteFrom('catalog_control_settings').where('version_id', '=', versionId).execute();
  await insertControl(trx, versionId, control);
  await trx.updateTable('catalog_versions').set({ updated_at: now }).where('id', '=', versionId).execute();
}

async function insertControl(trx: Transaction<Database>, versionId: string, control: ControlSettings) {
  await trx
    .insertInto('catalog_control_settings')
    .values(
      (Object.keys(CONTROL_SETTINGS) as (keyof ControlSettings)[]).map((setting) => ({
        version_id: versionId,
        setting,
        data: json(control[setting]),
      })),
    )
    .execute();
}

async function insertServiceChildren(trx: Transaction<Database>, versionId: string, s: ServiceFields) {
  if (s.scenarios.length) {
    await trx
      .insertInto('catalog_scenarios')
      .values(
        s.scenarios.map((x, sort) => ({
          id: uuidv7(),
          version_id: versionId,
          sort,
          key: x.key,
          name: x.name,
          description: x.description,
        })),
      )
      .execute();
  }
  if (s.materials.length) {
    await trx
      .insertInto('catalog_materials')
      .values(
        s.materials.map((m, sort) => ({
          id: uuidv7(),
          version_id: versionId,
          sort,
          key: m.key,
          name: m.name,
          form: m.form,
          source: m.source,
          copies: m.copies,
          medium: m.medium,
          required: flag(m.required),
          scenario_key: m.scenarioKey,
          acceptance_standard: m.acceptanceStandard,
          sample_url: m.sampleUrl,
          eform: flag(m.eform),
          ecopy_required: flag(m.ecopyRequired),
          deferrable: flag(m.deferrable),
          waivable: flag(m.waivable),
          seal_requirement: m.sealRequirement,
          validity_days: m.validityDays,
          verifying_department: m.verifyingDepartment,
          reuse_class: m.reuseClass,
        })),
      )
      .execute();
  }
  if (s.conditions.length) {
    await trx
      .insertInto('catalog_conditions')
      .values(
        s.conditions.map((c, sort) => ({
          id: uuidv7(),
          version_id: versionId,
          sort,
          key: c.key,
          text: c.text,
          required: flag(c.required),
          scenario_key: c.scenarioKey,
          rule: c.rule,
        })),
      )
      .execute();
  }
  if (s.fees.length) {
    await trx
      .insertInto('catalog_fees')
      .values(
        s.fees.map((f, sort) => ({
          id: uuidv7(),
          version_id: versionId,
          sort,
          kind: f.kind,
          name: f.name,
          basis: f.basis,
          unit: f.kind === 'fixed' ? null : f.unit,
          input: f.kind === 'table' ? f.input : null,
          amount_fen: f.kind === 'table' ? null : f.amountFen,
          rows: f.kind === 'table' ? json(f.rows) : null,
        })),
      )
      .execute();
  }
}
