import { HotItems } from './hot-items';

/** The portal's most viewed items, on a citizen's home. */
export function HotItemsCard() {
  return <HotItems limit={8} />;
}
