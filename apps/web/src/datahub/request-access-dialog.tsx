import { useMutation, useQueryClient } from '@tanstack/react-query';
import { Alert, App, Checkbox, Form, Input, InputNumber, Modal, Select, Space, Tag } from 'antd';
import { api } from '../shared/api-client';
import type { AccessRequest, DataResource } from '../shared/api-types';
import { useMe } from '../shared/auth-context';
import { LabelTag, SHARE_TYPES } from './labels';

interface RequestForm {
  requesterOrgId: string;
  fields: string[];
  purpose: string;
  days: number;
}

/** 申请使用: the chosen fields of a resource, for a purpose and a number of days, for one's own unit. */
export function RequestAccessDialog({
  resource,
  onClose,
}: {
  resource: DataResource | null;
  onClose: () => void;
}) {
  const me = useMe();
  const [form] = Form.useForm<RequestForm>();
  const { message } = App.useApp();
  const queryClient = useQueryClient();
  // The requesting unit is the account's own: one of the orgs it holds a post in.
  const units = [...new Map(me.posts.map((p) => [p.orgId, p.orgName])).entries()].map(([value, label]) => ({
    value,
    label,
  }));
  const request = useMutation({
    mutationFn: ({ id, body }: { id: string; body: RequestForm }) =>
      api.post<AccessRequest>(`/datahub/resources/${id}/access-requests`, body),
    onSuccess: (grant) => {
      message.success(
        grant.status === 'approved' ? '无条件共享资源：申请已自动批准' : '申请已提交，等待资源提供单位审批',
      );
      queryClient.invalidateQueries({ queryKey: ['datahub', 'access-requests'] });
      close();
    },
  });

  function close() {
    form.resetFields();
    request.reset();
    onClose();
  }

  return (
    <Modal
      title={resource ? `申请使用：${resource.name}` : '申请使用'}
      open={resource !== null}
      okText="提交申请"
      cancelText="取消"
      confirmLoading={request.isPending}
      onOk={() => form.submit()}
      onCancel={close}
      destroyOnHidden
      width={600}
      okButtonProps={{ 'data-testid': 'request-submit' }}
    >
      {resource && (
        <>
          <Space style={{ marginBottom: 12 }}>
            <LabelTag table={SHARE_TYPES} value={resource.shareType} />
            <span>{resource.ownerOrgName ?? ''}</span>
          </Space>
          {request.error && (
            <Alert type="error" showIcon title={request.error.message} style={{ marginBottom: 16 }} />
          )}
          <Form<RequestForm>
            form={form}
            layout="vertical"
            initialValues={{ requesterOrgId: units[0]?.value, fields: [], purpose: '', days: 90 }}
            onFinish={(values) =>
              request.mutate({ id: resource.id, body: { ...values, purpose: values.purpose.trim() } })
            }
          >
            <Form.Item
              name="requesterOrgId"
              label="申请单位"
              rules={[{ required: true, message: '没有可代表申请的本单位岗位' }]}
            >
              <Select options={units} disabled={units.length <= 1} data-testid="request-org" />
            </Form.Item>
            <Form.Item
              name="fields"
              label="申请字段"
              rules={[{ required: true, type: 'array', min: 1, message: '至少选择一个字段' }]}
            >
              <Checkbox.Group
                data-testid="request-fields"
                style={{ display: 'grid', gridTemplateColumns: 'repeat(2, 1fr)', rowGap: 6 }}
                options={resource.fields.map((f) => ({
                  value: f.name,
                  label: (
                    <span>
                      {f.label} <span style={{ color: '#999' }}>{f.name}</span>
                      {f.sensitive && (
                        <Tag color="red" style={{ marginLeft: 4 }}>
                          敏感
                        </Tag>
                      )}
                    </span>
                  ),
                }))}
              />
            </Form.Item>
            <Form.Item
              name="purpose"
              label="使用用途"
              rules={[
                { required: true, whitespace: true, message: '请填写使用用途' },
                { min: 4, message: '用途至少 4 个字' },
                { max: 500, message: '用途至多 500 个字' },
              ]}
            >
              <Input.TextArea
                rows={3}
                placeholder="如：企业开办审批核验法人信息"
                data-testid="request-purpose"
              />
            </Form.Item>
            <Form.Item
              name="days"
              label="使用期限（天）"
              rules={[{ required: true, type: 'integer', min: 1, max: 366, message: '1–366 天' }]}
            >
              <InputNumber
                min={1}
                max={366}
                precision={0}
                style={{ width: 160 }}
                data-testid="request-days"
              />
            </Form.Item>
          </Form>
        </>
      )}
    </Modal>
  );
}
