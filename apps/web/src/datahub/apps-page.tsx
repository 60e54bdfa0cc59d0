import { PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Form,
  Input,
  InputNumber,
  Modal,
  Popconfirm,
  Space,
  Table,
  Tag,
  Typography,
} from 'antd';
import { type HTMLAttributes, useState } from 'react';
import { api } from '../shared/api-client';
import type { DatahubApp } from '../shared/api-types';
import { formatTime } from '../shared/format-time';
import { QueryError } from '../shared/query-error';
import { AppSecretDialog } from './app-secret-dialog';
import { OrgSelect, useOrgNames } from './org-select';

interface AppForm {
  name: string;
  orgId: string;
  rateLimitPerMinute: number;
}

type Shown = { appName: string; appKey: string; appSecret: string };

/** 接入应用: the systems that call the data hub's API, each with a key, a secret and a rate limit. */
export function AppsPage() {
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  const orgName = useOrgNames();
  const [registering, setRegistering] = useState(false);
  const [shown, setShown] = useState<Shown | null>(null);
  const apps = useQuery({
    queryKey: ['datahub', 'apps'],
    queryFn: () => api.get<{ items: DatahubApp[] }>('/datahub/apps'),
  });
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['datahub', 'apps'] });

  const disable = useMutation({
    mutationFn: (app: DatahubApp) => api.post<DatahubApp>(`/datahub/apps/${app.id}/disable`),
    onSuccess: (_d, app) => {
      message.success(`已停用 ${app.name}`);
      refresh();
    },
    onError: (error) => message.error(error.message),
  });
  const rotate = useMutation({
    mutationFn: (app: DatahubApp) => api.post<{ appSecret: string }>(`/datahub/apps/${app.id}/rotate-secret`),
    onSuccess: ({ appSecret }, app) => setShown({ appName: app.name, appKey: app.appKey, appSecret }),
    onError: (error) => message.error(error.message),
  });

  return (
    <Card
      title="接入应用"
      extra={
        <Button
          type="primary"
          icon={<PlusOutlined />}
          onClick={() => setRegistering(true)}
          data-testid="app-register"
        >
          注册应用
        </Button>
      }
    >
      <QueryError error={apps.error} />
      <Table<DatahubApp>
        rowKey="id"
        size="middle"
        loading={apps.isFetching}
        dataSource={apps.data?.items}
        locale={{
          emptyText: (
            <Empty description="还没有接入应用。点右上角“注册应用”登记一个部门业务系统，它便能用签发的密钥签名调用数据资源。" />
          ),
        }}
        scroll={{ x: 'max-content' }}
        pagination={{ defaultPageSize: 20, showTotal: (total) => `共 ${total} 个`, hideOnSinglePage: true }}
        onRow={() => ({ 'data-testid': 'app-row' }) as HTMLAttributes<HTMLElement>}
        columns={[
          { title: '应用名称', dataIndex: 'name' },
          { title: '所属单位', key: 'org', render: (_, a) => a.orgName ?? orgName(a.orgId) },
          {
            title: '应用标识（App Key）',
            dataIndex: 'appKey',
            render: (key: string) => (
              <Typography.Text code copyable>
                {key}
              </Typography.Text>
            ),
          },
          { title: '频率上限', dataIndex: 'rateLimitPerMinute', render: (n: number) => `${n} 次/分钟` },
          {
            title: '状态',
            dataIndex: 'status',
            render: (status: DatahubApp['status']) =>
              status === 'active' ? <Tag color="success">启用</Tag> : <Tag>停用</Tag>,
          },
          { title: '注册时间', dataIndex: 'createdAt', render: formatTime },
          {
            title: '操作',
            key: 'actions',
            render: (_, app) =>
              app.status === 'active' ? (
                <Space>
                  <Popconfirm
                    title="重置密钥"
                    description="旧密钥立即失效，确认重置？"
                    okText="重置"
                    cancelText="取消"
                    onConfirm={() => rotate.mutateAsync(app)}
                  >
                    <Button size="small" data-testid="app-rotate">
                      重置密钥
                    </Button>
                  </Popconfirm>
                  <Popconfirm
                    title="停用应用"
                    description="停用后该应用的调用全部被拒绝，确认停用？"
                    okText="停用"
                    okButtonProps={{ danger: true }}
                    cancelText="取消"
                    onConfirm={() => disable.mutateAsync(app)}
                  >
                    <Button size="small" danger data-testid="app-disable">
                      停用
                    </Button>
                  </Popconfirm>
                </Space>
              ) : (
                <Typography.Text type="secondary">—</Typography.Text>
              ),
          },
        ]}
      />
      <RegisterAppDialog
        open={registering}
        onClose={() => setRegistering(false)}
        onRegistered={(app) => {
          refresh();
          setShown({ appName: app.name, appKey: app.appKey, appSecret: app.appSecret });
        }}
      />
      <AppSecretDialog secret={shown} onClose={() => setShown(null)} />
    </Card>
  );
}

function RegisterAppDialog({
  open,
  onClose,
  onRegistered,
}: {
  open: boolean;
  onClose: () => void;
  onRegistered: (app: DatahubApp & { appSecret: string }) => void;
}) {
  const [form] = Form.useForm<AppForm>();
  const register = useMutation({
    mutationFn: (body: AppForm) => api.post<DatahubApp & { appSecret: string }>('/datahub/apps', body),
    onSuccess: (app) => {
      close();
      onRegistered(app);
    },
  });

  function close() {
    form.resetFields();
    register.reset();
    onClose();
  }

  return (
    <Modal
      title="注册应用"
      open={open}
      okText="注册"
      cancelText="取消"
      confirmLoading={register.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      okButtonProps={{ 'data-testid': 'app-register-submit' }}
    >
      {register.error && (
        <Alert type="error" showIcon title={register.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form<AppForm>
        form={form}
        layout="vertical"
        initialValues={{ rateLimitPerMinute: 60 }}
        onFinish={(values) => register.mutate({ ...values, name: values.name.trim() })}
      >
        <Form.Item
          name="name"
          label="应用名称"
          rules={[
            { required: true, whitespace: true, message: '请填写应用名称' },
            { min: 2, max: 100, message: '2–100 个字' },
          ]}
        >
          <Input placeholder="如 市场监管审批系统" data-testid="app-name" />
        </Form.Item>
        <Form.Item name="orgId" label="所属单位" rules={[{ required: true, message: '请选择所属单位' }]}>
          <OrgSelect testId="app-org" />
        </Form.Item>
        <Form.Item
          name="rateLimitPerMinute"
          label="频率上限（次/分钟）"
          rules={[{ required: true, type: 'integer', min: 1, max: 10000, message: '1–10000' }]}
        >
          <InputNumber min={1} max={10000} precision={0} style={{ width: 160 }} data-testid="app-rate" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
