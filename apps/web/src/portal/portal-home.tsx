import { Space } from 'antd';
import { HomeTitle } from '../shared/home-title';
import { ProfileCard } from '../shared/profile-card';

/** Home of a citizen: the personal page of the online service hall. */
export function PortalHome() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <HomeTitle kind="citizen" />
      <ProfileCard />
    </Space>
  );
}
