import { Space } from 'antd';
import { HomeTitle } from '../shared/home-title';
import { ProfileCard } from '../shared/profile-card';

/** Home of the system, security and audit administrators (三员). */
export function AdminHome() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <HomeTitle kind="admin" />
      <ProfileCard />
    </Space>
  );
}
