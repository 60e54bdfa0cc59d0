import { Button, Space } from 'antd';

/** The 查询 / 重置 pair that ends every list's filter form; `onReset` blanks the fields and the URL. */
export function FilterButtons({ onReset, submitTestId }: { onReset: () => void; submitTestId?: string }) {
  return (
    <Space>
      <Button type="primary" htmlType="submit" data-testid={submitTestId}>
        查询
      </Button>
      <Button onClick={onReset}>重置</Button>
    </Space>
  );
}
