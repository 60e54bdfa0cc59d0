import { EditOutlined, PlusOutlined } from '@ant-design/icons';
import { ORG_KIND_NAMES, orgKindsUnder, REGION_LEVEL_NAMES } from '@govflow/shared';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Descriptions,
  Empty,
  Input,
  Row,
  Spin,
  Tag,
  Tooltip,
  Tree,
  type TreeDataNode,
  Typography,
} from 'antd';
import { useMemo, useState } from 'react';
import { api } from '../shared/api-client';
import type { Me, Org, OrgKind } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { QueryError } from '../shared/query-error';
import { CreateOrgDialog, EditOrgDialog } from './org-dialogs';

export const KIND_COLORS: Record<OrgKind, string> = {
  region: 'geekblue',
  department: 'blue',
  unit: 'cyan',
  window: 'green',
};

/** A kind as a tag; a region says its level (区县, 街道…) rather than its code. */
export function OrgKindTag({ org }: { org: Pick<Org, 'kind' | 'regionLevel'> }) {
  const level = org.kind === 'region' && org.regionLevel ? REGION_LEVEL_NAMES[org.regionLevel] : null;
  return (
    <Tag color={KIND_COLORS[org.kind]} style={{ marginInlineEnd: 0 }}>
      {level ?? ORG_KIND_NAMES[org.kind]}
    </Tag>
  );
}

/** Siblings by their order, regions by division code, the rest as created (ids are time-ordered). */
const byTreeOrder = (a: Org, b: Org) =>
  a.depth - b.depth ||
  a.sort - b.sort ||
  (a.kind === 'region' && b.kind === 'region' ? (a.code ?? '').localeCompare(b.code ?? '') : 0) ||
  a.path.localeCompare(b.path);

/** Builds the tree from the flat list; orgs whose parent is outside the visible scope become roots. */
export function toTreeData(orgs: Org[], filter = ''): TreeDataNode[] {
  const nodes = new Map<string, TreeDataNode & { children: TreeDataNode[] }>();
  const sorted = [...orgs].sort(byTreeOrder);
  const byId = new Map(orgs.map((o) => [o.id, o]));
  // With a filter: the matching orgs and every org above them, so each match shows where it sits.
  const shown = new Set<string>();
  if (filter) {
    for (const org of orgs) {
      if (!org.name.includes(filter)) continue;
      for (const id of org.path.split('/').filter(Boolean)) if (byId.has(id)) shown.add(id);
    }
  }
  for (const org of sorted) {
    if (filter && !shown.has(org.id)) continue;
    const match = filter && org.name.includes(filter);
    nodes.set(org.id, {
      key: org.id,
      title: (
        <span data-testid="org-node">
          <span style={match ? { color: '#cf1322', fontWeight: 500 } : undefined}>{org.name}</span>{' '}
          <OrgKindTag org={org} />
        </span>
      ),
      children: [],
    });
  }
  const roots: TreeDataNode[] = [];
  for (const org of sorted) {
    const node = nodes.get(org.id);
    if (!node) continue;
    const parent = org.parentId ? nodes.get(org.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  for (const node of nodes.values()) if (node.children.length === 0) node.isLeaf = true;
  return roots;
}

/** Who edits the tree (三员分立), as the page says it to the reader. */
function dutiesOf(me: Me): string {
  if (me.permissions.includes('org:write')) {
    return '您是系统管理员：可在本辖区内新增下级机构，修改机构名称、类型、统一社会信用代码和排列顺序。行政区划代码创建后不能修改；机构不能移动或删除（各业务数据按机构归属划定范围）。岗位和账号在“账号管理”页维护；每次修改记入审计日志。';
  }
  if (me.permissions.includes('audit:read')) {
    return '组织机构由系统管理员维护，您只能查看（三员分立）。每次新增和修改记入审计日志，可在“审计日志”页查阅。';
  }
  if (me.adminClass) {
    return '组织机构由系统管理员维护，您只能查看（三员分立）。每次新增和修改记入审计日志，由审计管理员查阅。';
  }
  return '您可查看数据范围内的组织机构；如需调整，请联系系统管理员。';
}

/** The regions above an org (its division), outermost first, as names. */
function divisionOf(org: Org, byId: Map<string, Org>): string {
  const names = org.path
    .split('/')
    .filter(Boolean)
    .map((id) => byId.get(id))
    .filter((o): o is Org => o?.kind === 'region')
    .map((o) => o.name);
  return names.length ? names.join(' › ') : '（不在可见范围内）';
}

function OrgDetail({
  org,
  byId,
  childCount,
  canWrite,
  onCreate,
  onEdit,
}: {
  org: Org;
  byId: Map<string, Org>;
  childCount: number;
  canWrite: boolean;
  onCreate: () => void;
  onEdit: () => void;
}) {
  const parent = org.parentId ? byId.get(org.parentId) : undefined;
  const canHoldChildren = orgKindsUnder(org.kind).length > 0;
  const items = [
    { key: 'name', label: '名称', children: <span data-testid="org-detail-name">{org.name}</span> },
    { key: 'kind', label: '类型', children: <OrgKindTag org={org} /> },
    {
      key: 'parent',
      label: '上级机构',
      children: parent?.name ?? (org.parentId ? '（不在可见范围内）' : '无（根节点）'),
    },
    org.kind === 'region'
      ? {
          key: 'code',
          label: '行政区划代码',
          children: (
            <span>
              {org.code}
              <Typography.Text type="secondary">
                （{org.regionLevel ? REGION_LEVEL_NAMES[org.regionLevel] : ''}，创建后不能修改）
              </Typography.Text>
            </span>
          ),
        }
      : {
          key: 'code',
          label: '统一社会信用代码',
          children: org.code ?? <Typography.Text type="secondary">未登记</Typography.Text>,
        },
    {
      key: 'division',
      label: org.kind === 'region' ? '区划层级' : '所在行政区划',
      children: <span data-testid="org-detail-division">{divisionOf(org, byId)}</span>,
    },
    { key: 'children', label: '下级机构', children: `${childCount} 个` },
    { key: 'sort', label: '排列顺序', children: org.sort },
  ];
  return (
    <Card
      type="inner"
      title={org.name}
      extra={
        canWrite && (
          <span style={{ display: 'inline-flex', gap: 8 }}>
            <Tooltip title={canHoldChildren ? null : '窗口之下不能再设机构'}>
              <Button
                icon={<PlusOutlined />}
                disabled={!canHoldChildren}
                onClick={onCreate}
                data-testid="org-create"
              >
                新增下级机构
              </Button>
            </Tooltip>
            <Button type="primary" icon={<EditOutlined />} onClick={onEdit} data-testid="org-edit">
              修改
            </Button>
          </span>
        )
      }
    >
      <Descriptions column={1} size="small" bordered items={items} styles={{ label: { width: 150 } }} />
    </Card>
  );
}

/**
 * 组织机构: the tree within the reader's scope, and one org's details beside it. The system
 * administrator (org:write) adds and edits orgs here, where everyone reads them; the server
 * checks the scope of each change and audits it.
 */
export function OrgTreePage() {
  const me = useMe();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const canWrite = me.permissions.includes('org:write');
  const orgs = useQuery({ queryKey: ['orgs'], queryFn: () => api.get<{ items: Org[] }>('/orgs') });
  const items = orgs.data?.items ?? [];
  const [selectedId, setSelectedId] = useState<string | null>(null);
  const [filter, setFilter] = useState('');
  const [dialog, setDialog] = useState<'create' | 'edit' | null>(null);

  const byId = useMemo(() => new Map(items.map((o) => [o.id, o])), [items]);
  const treeData = useMemo(() => toTreeData(items, filter.trim()), [items, filter]);
  const selected = (selectedId && byId.get(selectedId)) || null;
  const children = selected ? items.filter((o) => o.parentId === selected.id) : [];
  const childCount = children.length;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['orgs'] });

  return (
    <Card title="组织机构">
      <Alert
        type="info"
        showIcon
        title={dutiesOf(me)}
        style={{ marginBottom: 16 }}
        data-testid="orgs-duties"
      />
      <QueryError error={orgs.error} />
      {orgs.isPending ? (
        <Spin />
      ) : items.length === 0 ? (
        <Empty description="暂无可查看的机构" />
      ) : (
        <Row gutter={24}>
          <Col span={12}>
            <Input.Search
              allowClear
              placeholder="按名称查找机构"
              onChange={(e) => setFilter(e.target.value)}
              style={{ marginBottom: 12 }}
              data-testid="org-filter"
            />
            <div style={{ maxHeight: 640, overflow: 'auto', border: '1px solid #f0f0f0', padding: 8 }}>
              {treeData.length === 0 ? (
                <Empty description={`没有名称含“${filter}”的机构`} />
              ) : (
                <Tree
                  key={filter}
                  treeData={treeData}
                  defaultExpandAll={Boolean(filter) || items.length <= 200}
                  showLine
                  blockNode
                  selectedKeys={selected ? [selected.id] : []}
                  onSelect={(keys) => setSelectedId((keys[0] as string | undefined) ?? null)}
                />
              )}
            </div>
          </Col>
          <Col span={12}>
            {selected ? (
              <OrgDetail
                org={selected}
                byId={byId}
                childCount={childCount}
                canWrite={canWrite}
                onCreate={() => setDialog('create')}
                onEdit={() => setDialog('edit')}
              />
            ) : (
              <Empty
                style={{ marginTop: 48 }}
                description={
                  canWrite ? '在左侧选择一个机构，查看详情、新增下级机构或修改' : '在左侧选择一个机构查看详情'
                }
              />
            )}
          </Col>
        </Row>
      )}
      {dialog === 'create' && selected && (
        <CreateOrgDialog
          parent={selected}
          onClose={() => setDialog(null)}
          onDone={(org) => {
            setDialog(null);
            message.success(`已新增${ORG_KIND_NAMES[org.kind]}“${org.name}”`);
            setSelectedId(org.id);
            refresh();
          }}
        />
      )}
      {dialog === 'edit' && selected && (
        <EditOrgDialog
          org={selected}
          childKinds={[...new Set(children.map((c) => c.kind))]}
          parent={selected.parentId ? byId.get(selected.parentId) : undefined}
          onClose={() => setDialog(null)}
          onDone={() => {
            setDialog(null);
            message.success('机构已修改');
            refresh();
          }}
          onStale={refresh}
        />
      )}
    </Card>
  );
}
