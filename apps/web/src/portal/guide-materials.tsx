import { Empty, List, Space, Table, Tag, Typography } from 'antd';
import type { GuideMaterial } from './portal-api';

const COMMON = '通用（所有申请人）';

/** Materials ordered common first, then by scenario, with the scenario cell spanning its group. */
function groupedMaterials(materials: GuideMaterial[]) {
  const groups = new Map<string, GuideMaterial[]>();
  for (const m of materials) {
    const group = m.scenario ?? COMMON;
    groups.set(group, [...(groups.get(group) ?? []), m]);
  }
  const ordered = [...groups.entries()].sort(([a], [b]) => (a === COMMON ? -1 : b === COMMON ? 1 : 0));
  return ordered.map(([group, rows]) => ({ group, rows }));
}

function RequirementTags({ m }: { m: GuideMaterial }) {
  return (
    <Space size={2} wrap>
      {m.required ? <Tag color="red">必要</Tag> : <Tag>非必要</Tag>}
      {m.deferrable && <Tag color="orange">可容缺</Tag>}
      {m.waivable && <Tag color="green">可免提交</Tag>}
    </Space>
  );
}

function Sample({ url }: { url: string | null }) {
  return url ? (
    <a href={url} target="_blank" rel="noreferrer">
      下载样表
    </a>
  ) : null;
}

// Long words and codes wrap inside their cell instead of widening the table past its card.
const WRAP = { overflowWrap: 'anywhere' as const, wordBreak: 'break-word' as const };

/**
 * 申请材料: a table as wide as its card (columns wrap, never scroll sideways) on wide screens, a
 * list of materials by scenario on narrow ones.
 */
export function GuideMaterials({ materials, narrow }: { materials: GuideMaterial[]; narrow: boolean }) {
  const groups = groupedMaterials(materials);
  if (materials.length === 0)
    return (
      <div data-testid="guide-materials">
        <Empty description="无需提交材料" />
      </div>
    );
  if (narrow)
    return (
      <div data-testid="guide-materials" style={WRAP}>
        {groups.map(({ group, rows }) => (
          <div key={group} style={{ marginBottom: 12 }}>
            <Typography.Text strong>{group}</Typography.Text>
            <List
              size="small"
              dataSource={rows}
              renderItem={(m, index) => (
                <List.Item style={{ display: 'block', paddingInline: 0 }}>
                  <Space size={[8, 2]} wrap align="center">
                    <span>
                      {index + 1}. {m.name}
                    </span>
                    <RequirementTags m={m} />
                  </Space>
                  <Typography.Text type="secondary" style={{ display: 'block', ...WRAP }}>
                    {m.form} · {m.copies} 份 · {m.source}
                    {m.acceptanceStandard && `；受理标准：${m.acceptanceStandard}`}
                  </Typography.Text>
                  <Sample url={m.sampleUrl} />
                </List.Item>
              )}
            />
          </div>
        ))}
      </div>
    );
  const rows = groups.flatMap(({ group, rows }) =>
    rows.map((m, index) => ({ ...m, group, groupSpan: index === 0 ? rows.length : 0 })),
  );
  return (
    <Table
      data-testid="guide-materials"
      rowKey={(m) => `${m.group}/${m.key}`}
      size="small"
      pagination={false}
      bordered
      tableLayout="fixed"
      dataSource={rows}
      columns={[
        {
          title: '适用情形',
          dataIndex: 'group',
          width: 140,
          onCell: (m) => ({ rowSpan: m.groupSpan, style: WRAP }),
        },
        { title: '材料名称', dataIndex: 'name', onCell: () => ({ style: WRAP }) },
        {
          title: '要求',
          dataIndex: 'required',
          width: 96,
          render: (_: boolean, m) => <RequirementTags m={m} />,
        },
        { title: '形式', dataIndex: 'form', width: 88 },
        { title: '份数', dataIndex: 'copies', width: 56, align: 'center' },
        { title: '来源渠道', dataIndex: 'source', width: 104, onCell: () => ({ style: WRAP }) },
        {
          title: '受理标准',
          dataIndex: 'acceptanceStandard',
          onCell: () => ({ style: WRAP }),
          render: (t: string) => t || '—',
        },
        {
          title: '样表',
          dataIndex: 'sampleUrl',
          width: 64,
          render: (url: string | null) =>
            url ? (
              <a href={url} target="_blank" rel="noreferrer">
                下载
              </a>
            ) : (
              '—'
            ),
        },
      ]}
    />
  );
}
