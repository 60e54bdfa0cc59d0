import { DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Button, Checkbox, Form, Input, Modal, Select, Space } from 'antd';
import { api } from '../shared/api-client';
import type {
  DataResource,
  ResourceField,
  ResourceSource,
  ResourceSourceInfo,
  ShareType,
  UpdateCycle,
} from '../shared/api-types';
import { RESOURCE_SOURCES, SHARE_TYPES, UPDATE_CYCLES } from './labels';
import { OrgSelect } from './org-select';

interface ResourceForm {
  code: string;
  name: string;
  description?: string;
  ownerOrgId: string;
  shareType: ShareType;
  updateCycle: UpdateCycle;
  source?: ResourceSource;
  fields: ResourceField[];
}

const toOptions = (table: Record<string, { label: string }>) =>
  Object.entries(table).map(([value, { label }]) => ({ value, label }));

/** 登记资源: a new entry of the catalogue, with its owner, sharing terms and fields. */
export function CreateResourceDialog({ open, onClose }: { open: boolean; onClose: () => void }) {
  const [form] = Form.useForm<ResourceForm>();
  const { message } = App.useApp();
  const sources = useQuery({
    queryKey: ['datahub', 'resource-sources'],
    queryFn: () => api.get<{ items: ResourceSourceInfo[] }>('/datahub/resource-sources'),
    enabled: open,
  });
  const source = Form.useWatch('source', form);
  const chosen = sources.data?.items.find((s) => s.name === source);
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: ResourceForm) => api.post<DataResource>('/datahub/resources', body),
    onSuccess: (resource) => {
      message.success(`已登记资源 ${resource.code}`);
      queryClient.invalidateQueries({ queryKey: ['datahub', 'resources'] });
      close();
    },
  });

  function close() {
    form.resetFields();
    create.reset();
    onClose();
  }

  function submit(values: ResourceForm) {
    create.mutate({
      ...values,
      code: values.code.trim(),
      name: values.name.trim(),
      description: values.description?.trim() ?? '',
      fields: values.fields.map((f) => ({
        name: f.name.trim(),
        label: f.label.trim(),
        sensitive: Boolean(f.sensitive),
      })),
      ...(values.source ? { source: values.source } : {}),
    });
  }

  return (
    <Modal
      title="登记数据资源"
      open={open}
      okText="登记"
      cancelText="取消"
      confirmLoading={create.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={720}
      okButtonProps={{ 'data-testid': 'resource-create-submit' }}
    >
      {create.error && (
        <Alert type="error" showIcon title={create.error.message} style={{ marginBottom: 16 }} />
      )}
      <Form<ResourceForm>
        form={form}
        layout="vertical"
        onFinish={submit}
        initialValues={{
          shareType: 'conditional',
          updateCycle: 'daily',
          fields: [{ name: '', label: '', sensitive: false }],
        }}
      >
        <div style={{ display: 'flex', gap: 16 }}>
          <Form.Item
            name="code"
            label="资源代码"
            style={{ flex: 1 }}
            rules={[
              { required: true, message: '请填写资源代码' },
              { pattern: /^[A-Z0-9][A-Z0-9-]{2,39}$/, message: '3–40 位大写字母、数字或连字符' },
            ]}
          >
            <Input placeholder="如 SCJG-LICENCE" data-testid="resource-code" />
          </Form.Item>
          <Form.Item
            name="name"
            label="资源名称"
            style={{ flex: 2 }}
            rules={[
              { required: true, whitespace: true, message: '请填写资源名称' },
              { max: 100, message: '至多 100 个字' },
            ]}
          >
            <Input data-testid="resource-name" />
          </Form.Item>
        </div>
        <Form.Item name="description" label="描述" rules={[{ max: 1000, message: '至多 1000 个字' }]}>
          <Input.TextArea rows={2} />
        </Form.Item>
        <Form.Item name="ownerOrgId" label="提供单位" rules={[{ required: true, message: '请选择提供单位' }]}>
          <OrgSelect testId="resource-owner" />
        </Form.Item>
        <Space wrap size="large">
          <Form.Item name="shareType" label="共享类型" rules={[{ required: true }]}>
            <Select style={{ width: 160 }} options={toOptions(SHARE_TYPES)} />
          </Form.Item>
          <Form.Item name="updateCycle" label="更新周期" rules={[{ required: true }]}>
            <Select style={{ width: 120 }} options={toOptions(UPDATE_CYCLES)} />
          </Form.Item>
          <Form.Item
            name="source"
            label="数据来源（可选）"
            extra={
              chosen &&
              (chosen.keeper
                ? `${chosen.title}由${chosen.keeper.orgName}提供，须登记为其资源；登记后由其确认发布`
                : `${chosen.title}尚未指定提供部门`)
            }
          >
            <Select
              allowClear
              style={{ width: 160 }}
              placeholder="无"
              options={toOptions(RESOURCE_SOURCES)}
              data-testid="resource-source"
            />
          </Form.Item>
        </Space>
        <Form.List
          name="fields"
          rules={[
            {
              validator: async (_, fields?: unknown[]) => {
                if (!fields?.length) throw new Error('至少登记一个字段');
              },
            },
          ]}
        >
          {(rows, { add, remove }, { errors }) => (
            <Form.Item label="字段" required>
              {rows.map((row, index) => (
                <Space key={row.key} align="baseline" style={{ display: 'flex', marginBottom: 4 }}>
                  <Form.Item
                    name={[row.name, 'name']}
                    rules={[
                      { required: true, message: '字段名' },
                      { pattern: /^[a-zA-Z][a-zA-Z0-9_]{0,39}$/, message: '字母开头，字母数字下划线' },
                    ]}
                    style={{ marginBottom: 4 }}
                  >
                    <Input placeholder="字段名，如 creditCode" data-testid={`resource-field-name-${index}`} />
                  </Form.Item>
                  <Form.Item
                    name={[row.name, 'label']}
                    rules={[{ required: true, whitespace: true, message: '中文名' }]}
                    style={{ marginBottom: 4 }}
                  >
                    <Input
                      placeholder="中文名，如 统一社会信用代码"
                      data-testid={`resource-field-label-${index}`}
                    />
                  </Form.Item>
                  <Form.Item
                    name={[row.name, 'sensitive']}
                    valuePropName="checked"
                    style={{ marginBottom: 4 }}
                  >
                    <Checkbox>敏感</Checkbox>
                  </Form.Item>
                  <Button
                    type="text"
                    icon={<DeleteOutlined />}
                    disabled={rows.length <= 1}
                    onClick={() => remove(row.name)}
                    aria-label="删除字段"
                  />
                </Space>
              ))}
              <Button
                type="dashed"
                icon={<PlusOutlined />}
                onClick={() => add({ name: '', label: '', sensitive: false })}
                data-testid="resource-field-add"
              >
                添加字段
              </Button>
              <Form.ErrorList errors={errors} />
            </Form.Item>
          )}
        </Form.List>
      </Form>
    </Modal>
  );
}
