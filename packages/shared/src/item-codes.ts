/**
 * Item codes of the service catalogue (政务服务事项编码):
 * basic code, 10 digits = type (2) + main item (5) + sub-item (3, `000` if none);
 * implementation code, 24 characters = region (6) + township (3) + village (3)
 * + implementing organisation code (9, GB 11714) + implementing-body category (1)
 * + handling item (2, `00` if none).
 */
import { orgCodeCheckChar } from './credit-code';
import { regionLevelOf } from './region-code';

/** Two-digit type codes, in the order of the national basic catalogue. */
export const ITEM_TYPES = {
  licensing: { code: '01', zh: '行政许可' },
  penalty: { code: '02', zh: '行政处罚' },
  enforcement: { code: '03', zh: '行政强制' },
  levy: { code: '04', zh: '行政征收' },
  benefit: { code: '05', zh: '行政给付' },
  inspection: { code: '06', zh: '行政检查' },
  confirmation: { code: '07', zh: '行政确认' },
  reward: { code: '08', zh: '行政奖励' },
  adjudication: { code: '09', zh: '行政裁决' },
  other: { code: '10', zh: '其他行政权力' },
  'public-service': { code: '20', zh: '公共服务' },
} as const;

export type ItemType = keyof typeof ITEM_TYPES;
export const ITEM_TYPE_KEYS = Object.keys(ITEM_TYPES) as ItemType[];

export function itemTypeOfCode(code: string): ItemType | null {
  return ITEM_TYPE_KEYS.find((k) => ITEM_TYPES[k].code === code) ?? null;
}

export type BasicCodeProblem = 'FORMAT' | 'TYPE' | 'MAIN_ITEM';

/** What is wrong with a basic code, as a message says it. */
export const BASIC_CODE_PROBLEMS: Record<BasicCodeProblem, string> = {
  FORMAT: '应为 10 位数字',
  TYPE: '前 2 位不是已知的事项类型代码',
  MAIN_ITEM: '主项编码（第 3–7 位）不能全为 0',
};

export function checkBasicCode(
  code: string,
): { ok: true; type: ItemType } | { ok: false; problem: BasicCodeProblem } {
  if (!/^\d{10}$/.test(code)) return { ok: false, problem: 'FORMAT' };
  const type = itemTypeOfCode(code.slice(0, 2));
  if (!type) return { ok: false, problem: 'TYPE' };
  if (code.slice(2, 7) === '00000') return { ok: false, problem: 'MAIN_ITEM' };
  return { ok: true, type };
}

export type ImplementationCodeProblem = 'FORMAT' | 'REGION' | 'ORG_CODE_CHECK' | 'BODY_CATEGORY';

export const IMPLEMENTATION_CODE_PROBLEMS: Record<ImplementationCodeProblem, string> = {
  FORMAT: '应为 24 位：行政区划 12 位 + 组织机构代码 9 位 + 主体性质 1 位 + 办理项 2 位',
  REGION: '前 12 位不是有效的行政区划代码',
  ORG_CODE_CHECK: '组织机构代码的校验码不符',
  BODY_CATEGORY: '实施主体性质代码应为 1、2 或 3',
};

/** Implementing-body categories (实施主体性质): 1 statutory organ, 2 authorised, 3 entrusted. */
export const BODY_CATEGORIES = { '1': '法定机关', '2': '授权组织', '3': '受委托组织' } as const;

export interface ImplementationCodeParts {
  regionCode: string;
  township: string;
  village: string;
  orgCode: string;
  bodyCategory: keyof typeof BODY_CATEGORIES;
  handlingItem: string;
}

export function checkImplementationCode(
  code: string,
): { ok: true; parts: ImplementationCodeParts } | { ok: false; problem: ImplementationCodeProblem } {
  const value = code.trim().toUpperCase();
  if (!/^\d{12}[0-9A-Z]{8}[0-9X]\d{3}$/.test(value)) return { ok: false, problem: 'FORMAT' };
  const regionCode = value.slice(0, 6);
  if (!regionLevelOf(regionCode)) return { ok: false, problem: 'REGION' };
  const orgCode = value.slice(12, 21);
  if (orgCodeCheckChar(orgCode.slice(0, 8)) !== orgCode[8]) return { ok: false, problem: 'ORG_CODE_CHECK' };
  const bodyCategory = value[21] as keyof typeof BODY_CATEGORIES;
  if (!(bodyCategory in BODY_CATEGORIES)) return { ok: false, problem: 'BODY_CATEGORY' };
  return {
    ok: true,
    parts: {
      regionCode,
      township: value.slice(6, 9),
      village: value.slice(9, 12),
      orgCode,
      bodyCategory,
      handlingItem: value.slice(22, 24),
    },
  };
}

/** Builds an implementation code from its parts (seeders and tests). */
export function makeImplementationCode(
  p: Omit<ImplementationCodeParts, 'orgCode'> & { orgBody: string },
): string {
  return `${p.regionCode}${p.township}${p.village}${p.orgBody}${orgCodeCheckChar(p.orgBody)}${p.bodyCategory}${p.handlingItem}`;
}
