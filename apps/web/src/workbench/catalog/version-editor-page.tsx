import {
  CASE_TYPES,
  CHANNELS,
  type ControlSettings,
  type LegalFields,
  type Material,
  type ServiceFields,
  TIME_UNITS,
} from '@govflow/shared';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import {
  Alert,
  App,
  Button,
  Card,
  Checkbox,
  Form,
  Input,
  InputNumber,
  Select,
  Space,
  Spin,
  Tabs,
  Tag,
} from 'antd';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api } from '../../shared/api-client';
import { useMe } from '../../shared/auth-context';
import { QueryError } from '../../shared/query-error';
import { ApproveButton } from './approve-button';
import { type CatalogVersion, VERSION_STATUSES } from './catalog-types';
import { ControlSettingsView } from './control-settings-view';
import { MaterialsEditor } from './materials-editor';

type Group = 'legal' | 'service' | 'control';

const GROUP_PERMISSION: Record<Group, string> = {
  legal: 'catalog:edit-legal',
  service: 'catalog:edit-service',
  control: 'catalog:edit-control',
};

const unitOptions = Object.entries(TIME_UNITS).map(([value, label]) => ({ value, label }));

/** Saves one field group: the loaded group object with the form's fields laid over it, sent whole. */
function useSaveGroup(version: CatalogVersion, itemId: string, group: Group) {
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  return useMutation({
    mutationFn: (body: unknown) => api.put<CatalogVersion>(`/catalog/versions/${version.id}/${group}`, body),
    onSuccess: async () => {
      message.success('已保存');
      await queryClient.invalidateQueries({ queryKey: ['catalog', 'version', itemId, version.versionNo] });
      await queryClient.invalidateQueries({ queryKey: ['catalog', 'item', itemId] });
    },
  });
}

function SaveButton({ group, loading, disabled }: { group: Group; loading: boolean; disabled: boolean }) {
  return (
    <Button
      type="primary"
      htmlType="submit"
      loading={loading}
      disabled={disabled}
      data-testid={`editor-save-${group}`}
    >
      保存
    </Button>
  );
}

function LegalForm({
  version,
  itemId,
  editable,
}: {
  version: CatalogVersion;
  itemId: string;
  editable: boolean;
}) {
  const save = useSaveGroup(version, itemId, 'legal');
  const legal = version.content.legal;
  return (
    <Form<Pick<LegalFields, 'name' | 'legalBasis' | 'statutoryLimit' | 'resultName'>>
      layout="vertical"
      disabled={!editable}
      initialValues={legal}
      onFinish={(values) =>
        save.mutate({
          ...legal,
          ...values,
          statutoryLimit: { ...legal.statutoryLimit, ...values.statutoryLimit },
        })
      }
      style={{ maxWidth: 720 }}
    >
      <QueryError error={save.error} />
      <Form.Item name="name" label="事项名称" rules={[{ required: true, whitespace: true, max: 120 }]}>
        <Input data-testid="field-name" />
      </Form.Item>
      <Form.Item name="legalBasis" label="设定依据" rules={[{ required: true, whitespace: true, max: 8000 }]}>
        <Input.TextArea rows={4} />
      </Form.Item>
      <Form.Item label="法定办结时限" required>
        <Space.Compact>
          <Form.Item name={['statutoryLimit', 'days']} noStyle rules={[{ required: true }]}>
            <InputNumber min={0} max={3650} precision={0} data-testid="field-statutoryDays" />
          </Form.Item>
          <Form.Item name={['statutoryLimit', 'unit']} noStyle>
            <Select options={unitOptions} style={{ width: 100 }} />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
      <Form.Item name="resultName" label="审批结果名称" rules={[{ max: 200 }]}>
        <Input />
      </Form.Item>
      <SaveButton group="legal" loading={save.isPending} disabled={!editable} />
    </Form>
  );
}

type ServiceForm = Pick<
  ServiceFields,
  | 'caseType'
  | 'channels'
  | 'visitsRequired'
  | 'location'
  | 'officeHours'
  | 'enquiryPhone'
  | 'supervisionPhone'
  | 'description'
  | 'promisedLimit'
>;

function ServiceFormTab({
  version,
  itemId,
  editable,
}: {
  version: CatalogVersion;
  itemId: string;
  editable: boolean;
}) {
  const save = useSaveGroup(version, itemId, 'service');
  const service = version.content.service;
  const [materials, setMaterials] = useState<Material[]>(service.materials);
  return (
    <Form<ServiceForm>
      layout="vertical"
      disabled={!editable}
      initialValues={service}
      onFinish={(values) =>
        save.mutate({
          ...service,
          ...values,
          promisedLimit: { ...service.promisedLimit, ...values.promisedLimit },
          materials,
        })
      }
      style={{ maxWidth: 1200 }}
    >
      <QueryError error={save.error} />
      <Form.Item label="承诺办结时限" required>
        <Space.Compact>
          <Form.Item
            name={['promisedLimit', 'days']}
            noStyle
            rules={[{ required: true, message: '请填写天数' }]}
          >
            <InputNumber min={0} max={3650} precision={0} data-testid="field-promisedDays" />
          </Form.Item>
          <Form.Item name={['promisedLimit', 'unit']} noStyle>
            <Select options={unitOptions} style={{ width: 100 }} />
          </Form.Item>
        </Space.Compact>
      </Form.Item>
      <Form.Item name="caseType" label="办件类型" rules={[{ required: true }]}>
        <Select
          style={{ width: 160 }}
          options={Object.entries(CASE_TYPES).map(([value, label]) => ({ value, label }))}
        />
      </Form.Item>
      <Form.Item name="channels" label="办理渠道" rules={[{ required: true, message: '至少选择一个渠道' }]}>
        <Checkbox.Group options={Object.entries(CHANNELS).map(([value, label]) => ({ value, label }))} />
      </Form.Item>
      <Form.Item name="visitsRequired" label="到办事现场次数" rules={[{ required: true }]}>
        <InputNumber min={0} max={5} precision={0} />
      </Form.Item>
      <Form.Item name="location" label="办理地点" rules={[{ max: 300 }]}>
        <Input />
      </Form.Item>
      <Form.Item name="officeHours" label="办理时间" rules={[{ max: 200 }]}>
        <Input />
      </Form.Item>
      <Space wrap>
        <Form.Item name="enquiryPhone" label="咨询电话" rules={[{ max: 60 }]}>
          <Input />
        </Form.Item>
        <Form.Item name="supervisionPhone" label="监督投诉电话" rules={[{ max: 60 }]}>
          <Input />
        </Form.Item>
      </Space>
      <Form.Item name="description" label="事项说明" rules={[{ max: 2000 }]}>
        <Input.TextArea rows={3} />
      </Form.Item>
      <Form.Item label="申请材料">
        <MaterialsEditor
          materials={materials}
          scenarios={service.scenarios}
          editable={editable}
          onChange={setMaterials}
        />
      </Form.Item>
      <SaveButton group="service" loading={save.isPending} disabled={!editable} />
    </Form>
  );
}

function ControlForm({
  version,
  itemId,
  editable,
}: {
  version: CatalogVersion;
  itemId: string;
  editable: boolean;
}) {
  const save = useSaveGroup(version, itemId, 'control');
  const control = version.content.control;
  return (
    <>
      <Form<Pick<ControlSettings['timeLimits'], 'warningAtPercent' | 'alarmAtPercent'>>
        layout="vertical"
        disabled={!editable}
        initialValues={control.timeLimits}
        onFinish={(values) => save.mutate({ ...control, timeLimits: { ...control.timeLimits, ...values } })}
        style={{ maxWidth: 720 }}
      >
        <QueryError error={save.error} />
        <Alert
          type="info"
          showIcon
          style={{ marginBottom: 16 }}
          title="时限管控（第 8 项）：已用时限达到下列百分比时分别预警、告警"
        />
        <Space wrap>
          <Form.Item name="warningAtPercent" label="预警阈值（%）" rules={[{ required: true }]}>
            <InputNumber min={1} max={100} precision={0} data-testid="field-warningAtPercent" />
          </Form.Item>
          <Form.Item
            name="alarmAtPercent"
            label="告警阈值（%）"
            dependencies={['warningAtPercent']}
            rules={[
              { required: true },
              ({ getFieldValue }) => ({
                validator: (_, value: number) =>
                  value > getFieldValue('warningAtPercent')
                    ? Promise.resolve()
                    : Promise.reject(new Error('告警阈值须大于预警阈值')),
              }),
            ]}
          >
            <InputNumber min={1} max={200} precision={0} data-testid="field-alarmAtPercent" />
          </Form.Item>
        </Space>
        <div>
          <SaveButton group="control" loading={save.isPending} disabled={!editable} />
        </div>
      </Form>
      <ControlSettingsView control={control} />
    </>
  );
}

/** Editor of one version: three tabs for the three field groups; only a draft can be changed. */
export function VersionEditorPage() {
  const { id = '', no = '' } = useParams();
  const me = useMe();
  const queryClient = useQueryClient();
  const { message } = App.useApp();
  const version = useQuery({
    queryKey: ['catalog', 'version', id, Number(no)],
    queryFn: () => api.get<CatalogVersion>(`/catalog/items/${id}/versions/${no}`),
  });
  const approve = useMutation({
    mutationFn: (versionId: string) => api.post<CatalogVersion>(`/catalog/versions/${versionId}/approve`),
    onSuccess: async () => {
      message.success('已审核发布');
      await queryClient.invalidateQueries({ queryKey: ['catalog'] });
    },
  });

  if (version.isPending) return <Spin />;
  if (!version.data) return <QueryError error={version.error} />;
  const v = version.data;
  const isDraft = v.status === 'draft';
  const editable = (group: Group) => isDraft && me.permissions.includes(GROUP_PERMISSION[group]);
  const status = VERSION_STATUSES[v.status];
  // Remount the forms when the server's copy changes, so they show what was saved.
  const formKey = `${v.id}:${JSON.stringify(v.content).length}`;

  return (
    <Card
      title={
        <Space>
          <Link to="/workbench/catalog">事项库</Link>
          <span>/</span>
          <Link to={`/workbench/catalog/${id}`}>{v.content.legal.name}</Link>
          <span>/ v{v.versionNo}</span>
          <Tag color={status?.color} data-testid="editor-version-status">
            {status?.label ?? v.status}
          </Tag>
        </Space>
      }
      extra={
        <Space>
          {v.status === 'in-review' && me.permissions.includes('catalog:review') && (
            <ApproveButton
              version={v}
              loading={approve.isPending}
              onApprove={() => approve.mutateAsync(v.id)}
            />
          )}
          <Link to={`/workbench/catalog/${id}`} data-testid="editor-back">
            返回事项
          </Link>
        </Space>
      }
    >
      <QueryError error={approve.error} />
      {!isDraft && (
        <Alert
          type="warning"
          showIcon
          style={{ marginBottom: 16 }}
          title="只有草稿可以修改；已提交或已发布的版本请在事项页新建版本"
        />
      )}
      {v.reviewNote && (
        <Alert type="error" showIcon style={{ marginBottom: 16 }} title={`退回意见：${v.reviewNote}`} />
      )}
      <Tabs
        key={formKey}
        defaultActiveKey="service"
        items={[
          {
            key: 'legal',
            label: '法定要素',
            children: <LegalForm version={v} itemId={id} editable={editable('legal')} />,
          },
          {
            key: 'service',
            label: '服务要素',
            children: <ServiceFormTab version={v} itemId={id} editable={editable('service')} />,
          },
          {
            key: 'control',
            label: '管控设置',
            children: <ControlForm version={v} itemId={id} editable={editable('control')} />,
          },
        ]}
      />
    </Card>
  );
}
