import { ITEM_TYPES, type ItemType } from '@govflow/shared';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Button, Card, Form, Input, Select, Space, Table, Tag, Typography } from 'antd';
import type { HTMLAttributes } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router';
import { api } from '../../shared/api-client';
import { useMe } from '../../shared/auth-context';
import { FilterButtons } from '../../shared/filter-buttons';
import { formatTime } from '../../shared/format-time';
import { QueryError } from '../../shared/query-error';
import {
  type CatalogListItem,
  ITEM_STATUSES,
  type ItemStatus,
  VERSION_STATUSES,
  type VersionStatus,
} from './catalog-types';

interface FilterForm {
  name?: string;
  type?: string;
  status?: string;
}

const DEFAULT_PAGE_SIZE = 20;

/** 事项库: the items in the account's scope, filters and page in the URL. */
export function CatalogListPage() {
  const [params, setParams] = useSearchParams();
  const [form] = Form.useForm<FilterForm>();
  const me = useMe();
  const navigate = useNavigate();
  const filters = {
    name: params.get('name') ?? '',
    type: params.get('type') ?? '',
    status: params.get('status') ?? '',
    page: Number(params.get('page')) || 1,
    pageSize: Number(params.get('pageSize')) || DEFAULT_PAGE_SIZE,
  };
  const list = useQuery({
    queryKey: ['catalog', 'items', filters],
    queryFn: () => api.get<{ total: number; items: CatalogListItem[] }>('/catalog/items', filters),
    placeholderData: keepPreviousData,
  });

  function update(changes: Partial<Record<keyof typeof filters, string | number>>) {
    const next = new URLSearchParams(params);
    for (const [key, value] of Object.entries(changes)) {
      if (value === '' || value === undefined) next.delete(key);
      else next.set(key, String(value));
    }
    setParams(next);
  }

  return (
    <Card
      title="事项库"
      extra={
        <Space>
          {me.permissions.includes('catalog:edit-service') && (
            <Button data-testid="catalog-import" onClick={() => navigate('/workbench/catalog/import')}>
              导入实施清单
            </Button>
          )}
          {/* A plain link: the browser downloads the workbook with the session cookie. */}
          <Button href="/api/v1/catalog/export.xlsx" download data-testid="catalog-export">
            导出
          </Button>
        </Space>
      }
    >
      <Form<FilterForm>
        form={form}
        layout="inline"
        initialValues={{
          name: filters.name,
          type: filters.type || undefined,
          status: filters.status || undefined,
        }}
        onFinish={(v) =>
          update({ name: v.name?.trim() ?? '', type: v.type ?? '', status: v.status ?? '', page: '' })
        }
        style={{ marginBottom: 16, rowGap: 8 }}
      >
        <Form.Item name="name" label="名称">
          <Input placeholder="事项名称" allowClear data-testid="catalog-filter-name" />
        </Form.Item>
        <Form.Item name="type" label="类型">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 140 }}
            options={Object.entries(ITEM_TYPES).map(([value, t]) => ({ value, label: t.zh }))}
          />
        </Form.Item>
        <Form.Item name="status" label="状态">
          <Select
            allowClear
            placeholder="全部"
            style={{ width: 110 }}
            options={Object.entries(ITEM_STATUSES).map(([value, s]) => ({ value, label: s.label }))}
          />
        </Form.Item>
        <FilterButtons
          submitTestId="catalog-filter-submit"
          onReset={() => {
            form.setFieldsValue({ name: '', type: undefined, status: undefined });
            setParams(new URLSearchParams());
          }}
        />
      </Form>
      <QueryError error={list.error} />
      <Table<CatalogListItem>
        rowKey="id"
        size="middle"
        loading={list.isFetching}
        dataSource={list.data?.items}
        scroll={{ x: 'max-content' }}
        onRow={() => ({ 'data-testid': 'catalog-row' }) as HTMLAttributes<HTMLElement>}
        pagination={{
          current: filters.page,
          pageSize: filters.pageSize,
          total: list.data?.total ?? 0,
          showSizeChanger: true,
          pageSizeOptions: [10, 20, 50, 100],
          showTotal: (total) => `共 ${total} 项`,
          onChange: (page, pageSize) => update({ page, pageSize }),
        }}
        columns={[
          {
            title: '事项名称',
            dataIndex: 'name',
            render: (name: string, item) => <Link to={`/workbench/catalog/${item.id}`}>{name}</Link>,
          },
          {
            title: '类型',
            dataIndex: 'type',
            render: (type: string) => ITEM_TYPES[type as ItemType]?.zh ?? type,
          },
          { title: '实施主体', dataIndex: 'implementingBody' },
          {
            title: '事项编码',
            dataIndex: 'catalogCode',
            render: (code: string) => (
              <Typography.Text type="secondary" copyable style={{ fontSize: 12 }}>
                {code}
              </Typography.Text>
            ),
          },
          {
            title: '状态',
            dataIndex: 'status',
            render: (status: ItemStatus) => (
              <Tag color={ITEM_STATUSES[status]?.color}>{ITEM_STATUSES[status]?.label ?? status}</Tag>
            ),
          },
          {
            title: '最新版本',
            key: 'latest',
            render: (_, item) => (
              <Space size={4}>
                <span>v{item.latestVersionNo}</span>
                <Tag color={VERSION_STATUSES[item.latestVersionStatus]?.color}>
                  {VERSION_STATUSES[item.latestVersionStatus as VersionStatus]?.label ??
                    item.latestVersionStatus}
                </Tag>
              </Space>
            ),
          },
          { title: '更新时间', dataIndex: 'updatedAt', render: formatTime },
        ]}
      />
    </Card>
  );
}
