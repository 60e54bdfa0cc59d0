import { Button, Result } from 'antd';
import { Link } from 'react-router';

/** Any address the app does not have: say so, and offer the ways on (visitors and staff alike). */
export function NotFoundPage() {
  return (
    <Result
      status="404"
      title="页面不存在"
      subTitle="地址可能输错了，或页面已经移走。"
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
