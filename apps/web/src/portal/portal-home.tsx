import { HomePage } from '../home/home-page';

/** Home of a citizen: the portal's search, hot items and their account. */
export function PortalHome() {
  return <HomePage kind="citizen" />;
}
