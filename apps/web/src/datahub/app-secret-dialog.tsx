import { Alert, Button, Descriptions, Modal, Typography } from 'antd';

/** The app's secret, shown this once: the server keeps no readable copy. */
export function AppSecretDialog({
  secret,
  onClose,
}: {
  secret: { appName: string; appKey: string; appSecret: string } | null;
  onClose: () => void;
}) {
  return (
    <Modal
      title="应用密钥"
      open={secret !== null}
      onCancel={onClose}
      maskClosable={false}
      // Not kept hidden in the page once closed: the secret leaves the DOM with the dialog.
      destroyOnHidden
      width={680}
      footer={
        <Button type="primary" onClick={onClose} data-testid="app-secret-close">
          我已妥善保存
        </Button>
      }
    >
      {secret && (
        <>
          <Alert
            type="warning"
            showIcon
            title="密钥仅显示一次，请妥善保存"
            description="关闭本窗口后无法再次查看；遗失请重置密钥，旧密钥随即失效。"
            style={{ marginBottom: 16 }}
          />
          <Descriptions
            size="small"
            column={1}
            bordered
            items={[
              { key: 'name', label: '应用', children: secret.appName },
              {
                key: 'key',
                label: '应用标识（App Key）',
                children: (
                  <Typography.Text copyable code>
                    {secret.appKey}
                  </Typography.Text>
                ),
              },
              {
                key: 'secret',
                label: 'App Secret',
                children: (
                  <Typography.Text
                    copyable={{ tooltips: ['复制', '已复制'] }}
                    code
                    style={{ wordBreak: 'break-all' }}
                    data-testid="app-secret"
                  >
                    {secret.appSecret}
                  </Typography.Text>
                ),
              },
            ]}
          />
          <Typography.Title level={5} style={{ marginTop: 16 }}>
            调用签名
          </Typography.Title>
          <Typography.Paragraph style={{ marginBottom: 4 }}>每个请求带以下请求头：</Typography.Paragraph>
          <ul style={{ marginTop: 0 }}>
            <li>
              <Typography.Text code>X-GF-App-Key</Typography.Text>：App Key
            </li>
            <li>
              <Typography.Text code>X-GF-Timestamp</Typography.Text>：Unix 时间（秒）
            </li>
            <li>
              <Typography.Text code>X-GF-Nonce</Typography.Text>：每次请求不同的随机串，16–64 位字母、数字、_
              或 -（重复即视为重放）
            </li>
            <li>
              <Typography.Text code>X-GF-Signature</Typography.Text>：HMAC-SM3(App Secret, 签名串) 的十六进制
            </li>
          </ul>
          <Typography.Paragraph style={{ marginBottom: 4 }}>
            签名串（以换行分隔；PATH 含查询串，与实际发送的一致）：
          </Typography.Paragraph>
          <pre style={{ background: '#f5f5f5', padding: 8, borderRadius: 4, margin: 0 }}>
            {'METHOD\nPATH\nTIMESTAMP\nNONCE\nhex(SM3(请求体))'}
          </pre>
        </>
      )}
    </Modal>
  );
}
