import {
  type ControlSettings,
  controlSettingsProblems,
  controlSettingsSchema,
  type LegalFields,
  legalFieldsSchema,
  type ServiceFields,
  serviceFieldsSchema,
} from '@govflow/shared';
import type { z } from 'zod';
import { AppError } from '../../platform/http/errors';

function parse<T>(schema: z.ZodType<T>, data: unknown, group: string): T {
  const r = schema.safeParse(data);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: `${group}.${i.path.join('.')}`, message: i.message }));
  throw new AppError(
    'VALIDATION_FAILED',
    400,
    `事项内容有误: ${issues.map((i) => `${i.path} ${i.message}`).join('; ')}`,
    undefined,
    { issues },
  );
}

export const parseLegal = (data: unknown): LegalFields => parse(legalFieldsSchema, data, 'legal');
export const parseService = (data: unknown): ServiceFields => parse(serviceFieldsSchema, data, 'service');
export const parseControl = (data: unknown): ControlSettings => parse(controlSettingsSchema, data, 'control');

const unitRank = { working: 7 / 5, natural: 1 } as const;

/** Rules across fields and groups that the per-field schemas cannot see. */
export function assertConsistent(legal: LegalFields, service: ServiceFields, control: ControlSettings): void {
  const scenarios = new Set(service.scenarios.map((s) => s.key));
  const unknown = [...service.materials, ...service.conditions]
    .filter((x) => x.scenarioKey !== null && !scenarios.has(x.scenarioKey))
    .map((x) => `${x.key} → ${x.scenarioKey}`);
  if (unknown.length) {
    throw new AppError(
      'UNKNOWN_SCENARIO',
      422,
      `材料或条件引用了不存在的情形: ${unknown.join(', ')}`,
      '先在“情形”中添加该情形，或清空其情形',
    );
  }
  const dupes = (keys: string[]) => keys.filter((k, i) => keys.indexOf(k) !== i);
  const repeated = [
    ...dupes(service.scenarios.map((s) => s.key)),
    ...dupes(service.materials.map((m) => m.key)),
    ...dupes(service.conditions.map((c) => c.key)),
  ];
  if (repeated.length) throw new AppError('INVALID_ITEM', 422, `键重复: ${repeated.join(', ')}`);

  // Compare in calendar days: a working day counts as 7/5 of a natural day.
  const promised = service.promisedLimit.days * unitRank[service.promisedLimit.unit];
  const statutory = legal.statutoryLimit.days * unitRank[legal.statutoryLimit.unit];
  if (promised > statutory) {
    throw new AppError('INVALID_ITEM', 422, '承诺时限不能长于法定时限');
  }
  if (!legal.hasFee && service.fees.length) {
    throw new AppError('INVALID_ITEM', 422, '事项不收费却列有收费标准');
  }
  if (service.caseType === 'immediate' && service.promisedLimit.days > 1) {
    throw new AppError('INVALID_ITEM', 422, '即办件的承诺时限不超过 1 天');
  }
  const problems = controlSettingsProblems(control);
  if (problems.length) throw new AppError('INVALID_ITEM', 422, `管控设置不一致: ${problems.join('; ')}`);
}
