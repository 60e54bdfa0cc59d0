import { SafetyCertificateOutlined } from '@ant-design/icons';
import { useMutation } from '@tanstack/react-query';
import { Alert, Button, Space } from 'antd';
import { api } from '../shared/api-client';
import type { AuditVerification } from '../shared/api-types';

/** Recomputes the SM3 hash chain on the server and says whether, and where, it is broken. */
export function AuditVerifyButton() {
  const verify = useMutation({ mutationFn: () => api.get<AuditVerification>('/audit/verify') });
  const result = verify.data;

  return (
    <Space orientation="vertical" style={{ width: '100%' }}>
      <Button
        icon={<SafetyCertificateOutlined />}
        loading={verify.isPending}
        onClick={() => verify.mutate()}
        data-testid="audit-verify"
      >
        校验哈希链
      </Button>
      {verify.error && <Alert type="error" showIcon title={verify.error.message} />}
      {result && (
        <div data-testid="audit-verify-result">
          {result.ok ? (
            <Alert
              type="success"
              showIcon
              title={`哈希链完整：已校验 ${result.checked} 条记录，未发现篡改。`}
            />
          ) : (
            <Alert
              type="error"
              showIcon
              title={`哈希链断裂：已校验 ${result.checked} 条记录，${result.brokenCount} 处断裂`}
              description={result.firstBroken ? `首个断点：${result.firstBroken.reason}` : undefined}
            />
          )}
        </div>
      )}
    </Space>
  );
}
