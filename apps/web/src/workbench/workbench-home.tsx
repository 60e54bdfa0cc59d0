import { Space } from 'antd';
import { HomeTitle } from '../shared/home-title';
import { ProfileCard } from '../shared/profile-card';

/** Home of an officer: the workbench where cases will be handled. */
export function WorkbenchHome() {
  return (
    <Space orientation="vertical" size="large" style={{ width: '100%' }}>
      <HomeTitle kind="staff" />
      <ProfileCard />
    </Space>
  );
}
