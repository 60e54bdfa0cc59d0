import { Button, Result } from 'antd';
import { Link } from 'react-router';

/**
 * Any address the app does not have (or an item it does not publish): say so, and offer the ways
 * on, for visitors and staff alike.
 */
export function NotFoundPage({
  title = '页面不存在',
  subTitle = '地址可能输错了，或页面已经移走。',
}: {
  title?: string;
  subTitle?: string;
}) {
  return (
    <Result
      status="404"
      title={title}
      subTitle={subTitle}
      extra={[
        <Link key="home" to="/">
          <Button type="primary">回到首页</Button>
        </Link>,
        <Link key="search" to="/search">
          <Button>查找事项</Button>
        </Link>,
      ]}
    />
  );
}
