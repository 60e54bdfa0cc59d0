import { HomePage } from '../home/home-page';

/** Home of an officer: their queues and shortcuts (home/home-cards.tsx decides which). */
export function WorkbenchHome() {
  return <HomePage kind="staff" />;
}
