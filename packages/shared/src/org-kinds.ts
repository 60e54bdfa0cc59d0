/** The kinds of node in the org tree. */
export type OrgKind = 'region' | 'department' | 'unit' | 'window';

export const ORG_KIND_NAMES: Record<OrgKind, string> = {
  region: '行政区划',
  department: '部门',
  unit: '科室',
  window: '窗口',
};

/** Which kinds may sit under which: regions nest, departments hang off regions, units and windows off departments. */
export const ORG_ALLOWED_PARENTS: Record<OrgKind, OrgKind[]> = {
  region: ['region'],
  department: ['region'],
  unit: ['department', 'unit'],
  window: ['department', 'unit'],
};

/** The kinds that may sit directly under an org of `kind`. */
export function orgKindsUnder(kind: OrgKind): OrgKind[] {
  return (Object.keys(ORG_ALLOWED_PARENTS) as OrgKind[]).filter((k) => ORG_ALLOWED_PARENTS[k].includes(kind));
}
