export type RegionLevel = 'province' | 'city' | 'district' | 'street' | 'community';

export const REGION_LEVELS: RegionLevel[] = ['province', 'city', 'district', 'street', 'community'];

/** How a division's level reads on screen. */
export const REGION_LEVEL_NAMES: Record<RegionLevel, string> = {
  province: '省',
  city: '市',
  district: '区县',
  street: '街道（乡镇）',
  community: '社区（村）',
};

/**
 * Administrative division codes (GB/T 2260 for the first 6 digits, then 3 for a street/township and
 * 3 for a community/village): province 110000, city 210100, district 210102, street 210102001,
 * community 210102001001.
 */
export function regionLevelOf(code: string): RegionLevel | null {
  if (/^\d{12}$/.test(code)) return code.slice(9) === '000' ? null : 'community';
  if (/^\d{9}$/.test(code)) return code.slice(6) === '000' ? null : 'street';
  if (!/^\d{6}$/.test(code) || code.slice(0, 2) === '00') return null;
  if (code.slice(2) === '0000') return 'province';
  if (code.slice(4) === '00') return 'city';
  return 'district';
}

/** The code prefix a child must extend, e.g. a district of city 210100 starts with 2101. */
export function regionCodeBelongsTo(childCode: string, parentCode: string): boolean {
  const child = regionLevelOf(childCode);
  const parent = regionLevelOf(parentCode);
  if (!child || !parent) return false;
  const childIdx = REGION_LEVELS.indexOf(child);
  const parentIdx = REGION_LEVELS.indexOf(parent);
  if (childIdx !== parentIdx + 1) return false;
  const prefix = { province: 2, city: 4, district: 6, street: 9, community: 12 }[parent];
  return childCode.startsWith(parentCode.slice(0, prefix));
}

/**
 * A division code and the codes of every division above it, nearest first:
 * 210102001 → 210102001, 210102, 210100, 210000. Empty for an invalid code.
 */
export function regionCodeAncestry(code: string): string[] {
  const level = regionLevelOf(code);
  if (!level) return [];
  const chain = [code];
  if (level === 'community') chain.push(code.slice(0, 9));
  if (level === 'community' || level === 'street') chain.push(code.slice(0, 6));
  const district = chain[chain.length - 1];
  const districtLevel = regionLevelOf(district);
  if (districtLevel === 'district') chain.push(`${district.slice(0, 4)}00`);
  if (districtLevel && districtLevel !== 'province') chain.push(`${district.slice(0, 2)}0000`);
  return chain;
}
