import { useQuery } from '@tanstack/react-query';
import { Card, Empty, Spin, Tag, Tree, type TreeDataNode } from 'antd';
import { api } from '../shared/api-client';
import type { Org, OrgKind } from '../shared/api-types';
import { QueryError } from '../shared/query-error';

const KIND_LABELS: Record<OrgKind, { label: string; color: string }> = {
  region: { label: '行政区划', color: 'geekblue' },
  department: { label: '部门', color: 'blue' },
  unit: { label: '科室', color: 'cyan' },
  window: { label: '窗口', color: 'green' },
};

/** Builds the tree from the flat list; orgs whose parent is outside the visible scope become roots. */
export function toTreeData(orgs: Org[]): TreeDataNode[] {
  const nodes = new Map<string, TreeDataNode & { children: TreeDataNode[] }>();
  const sorted = [...orgs].sort((a, b) => a.depth - b.depth || a.path.localeCompare(b.path));
  for (const org of sorted) {
    const kind = KIND_LABELS[org.kind];
    nodes.set(org.id, {
      key: org.id,
      title: (
        <span>
          {org.name} <Tag color={kind?.color}>{kind?.label ?? org.kind}</Tag>
          {org.code && <span style={{ color: '#999' }}>{org.code}</span>}
        </span>
      ),
      children: [],
    });
  }
  const roots: TreeDataNode[] = [];
  for (const org of sorted) {
    const node = nodes.get(org.id);
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    if (!node) continue;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  for (const node of nodes.values()) if (node.children.length === 0) node.isLeaf = true;
  return roots;
}

export function OrgTreePage() {
  const orgs = useQuery({ queryKey: ['orgs'], queryFn: () => api.get<{ items: Org[] }>('/orgs') });
  const items = orgs.data?.items ?? [];

  return (
    <Card title="组织机构">
      <QueryError error={orgs.error} />
      {orgs.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description="暂无可查看的机构" />
      ) : (
        <Tree
          treeData={toTreeData(items)}
          defaultExpandAll={items.length <= 200}
          showLine
          blockNode
          selectable={false}
        />
      )}
    </Card>
  );
}
