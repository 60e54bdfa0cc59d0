import { useQuery } from '@tanstack/react-query';
import { TreeSelect } from 'antd';
import { api } from '../shared/api-client';
import type { Org } from '../shared/api-types';

interface OrgNode {
  value: string;
  title: string;
  children: OrgNode[];
}

/** The orgs the account may see (`GET /orgs`, shared cache with the org tree page). */
export function useVisibleOrgs() {
  return useQuery({ queryKey: ['orgs'], queryFn: () => api.get<{ items: Org[] }>('/orgs') });
}

function toNodes(orgs: Org[]): OrgNode[] {
  const nodes = new Map<string, OrgNode>();
  const sorted = [...orgs].sort((a, b) => a.depth - b.depth || a.path.localeCompare(b.path));
  for (const org of sorted) nodes.set(org.id, { value: org.id, title: org.name, children: [] });
  const roots: OrgNode[] = [];
  for (const org of sorted) {
    const node = nodes.get(org.id) as OrgNode;
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  return roots;
}

/** Picks one org from the visible tree, searchable by name; for use inside a Form.Item. */
export function OrgSelect({
  value,
  onChange,
  placeholder = '选择单位',
  testId,
}: {
  value?: string;
  onChange?: (value: string) => void;
  placeholder?: string;
  testId?: string;
}) {
  const orgs = useVisibleOrgs();
  return (
    <TreeSelect
      value={value}
      onChange={onChange}
      loading={orgs.isPending}
      treeData={toNodes(orgs.data?.items ?? [])}
      placeholder={placeholder}
      showSearch={{ treeNodeFilterProp: 'title' }}
      treeDefaultExpandAll
      listHeight={320}
      data-testid={testId}
      style={{ width: '100%' }}
    />
  );
}

/** Names of the visible orgs by id, for answers that carry only an org's id. */
export function useOrgNames(): (id: string) => string {
  const orgs = useVisibleOrgs();
  const names = new Map((orgs.data?.items ?? []).map((o) => [o.id, o.name]));
  return (id) => names.get(id) ?? id;
}
