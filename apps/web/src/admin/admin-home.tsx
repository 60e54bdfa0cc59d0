import { HomePage } from '../home/home-page';

/** Home of the system, security and audit administrators (三员): each one's own duties. */
export function AdminHome() {
  return <HomePage kind="admin" />;
}
